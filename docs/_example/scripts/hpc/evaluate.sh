#!/bin/bash
# Evaluate once training has ended well: bsub -w 'done(train_mnist)' < scripts/hpc/evaluate.sh
#BSUB -J evaluate_mnist
#BSUB -q hpc
#BSUB -n 1
#BSUB -R "rusage[mem=2GB]"
#BSUB -W 00:15
#BSUB -o logs/evaluate_%J.out
#BSUB -e logs/evaluate_%J.err

cd "$HOME/corrupt-mnist" || exit 1
uv run corrupt-mnist evaluate
