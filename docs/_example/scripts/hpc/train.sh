#!/bin/bash
# Train on one GPU of the DTU cluster (LSF). Submit from the project root: bsub < scripts/hpc/train.sh
# Queue names and limits change with the hardware: check the DTU HPC pages (bqueues lists them).
#BSUB -J train_mnist                      # job name
#BSUB -q gpuv100                          # queue: which kind of node
#BSUB -n 4                                # CPU cores (for data loading workers)
#BSUB -R "span[hosts=1]"                  # all cores on the same node
#BSUB -R "rusage[mem=4GB]"                # memory per core
#BSUB -gpu "num=1:mode=exclusive_process" # one GPU, not shared with other jobs
#BSUB -W 04:00                            # wall time limit, hh:mm
#BSUB -o logs/train_%J.out                # standard output; %J is the job id
#BSUB -e logs/train_%J.err                # standard error

cd "$HOME/corrupt-mnist" || exit 1
nvidia-smi
# --device cuda: on a node without a usable GPU the job stops at once instead of training on CPU.
uv run corrupt-mnist train --device cuda training.epochs=20
