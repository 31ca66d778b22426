#!/bin/bash
# A VM startup script (the Using the Cloud module): train for one epoch, copy the weights to the
# bucket, switch the VM off. It runs as root at every boot, with HOME possibly unset.
# set -e: a failing step ends the script before shutdown, so a VM still running means trouble.
set -euxo pipefail
export HOME=/root
apt-get update && apt-get install -y git
curl -LsSf https://astral.sh/uv/install.sh | sh
export PATH="$HOME/.local/bin:$PATH"
rm -rf /opt/project
git clone https://github.com/YOUR-GROUP/YOUR-REPO.git /opt/project
cd /opt/project
uv sync
uv run dvc pull
uv run corrupt-mnist train training.epochs=1
gcloud storage cp models/model.pt "gs://mlops-group-42-data/models/model-$(date +%Y%m%d-%H%M).pt"
shutdown -h now
