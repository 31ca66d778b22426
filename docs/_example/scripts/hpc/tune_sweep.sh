#!/bin/bash
# Four workers of one Optuna study, five trials each. Make the validation split once, on the
# login node, then submit: uv run python scripts/tune_worker.py --split; bsub < scripts/hpc/tune_sweep.sh
#BSUB -J mnist_sweep[1-4]
#BSUB -q gpuv100
#BSUB -n 4
#BSUB -R "span[hosts=1]"
#BSUB -R "rusage[mem=4GB]"
#BSUB -gpu "num=1:mode=exclusive_process"
#BSUB -W 01:00
#BSUB -o logs/sweep_%J_%I.out
#BSUB -e logs/sweep_%J_%I.err

cd "$HOME/corrupt-mnist" || exit 1
uv run python scripts/tune_worker.py --trials 5
