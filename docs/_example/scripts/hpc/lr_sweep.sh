#!/bin/bash
# Five trainings, one learning rate each, as one LSF job array: bsub < scripts/hpc/lr_sweep.sh
#BSUB -J lr_sweep[1-5]
#BSUB -q gpuv100
#BSUB -n 4
#BSUB -R "span[hosts=1]"
#BSUB -R "rusage[mem=4GB]"
#BSUB -gpu "num=1:mode=exclusive_process"
#BSUB -W 01:00
#BSUB -o logs/lr_%J_%I.out
#BSUB -e logs/lr_%J_%I.err

rates=(0.1 0.03 0.01 0.003 0.001)
lr=${rates[$((LSB_JOBINDEX - 1))]}  # LSF counts the array from 1, Bash from 0
echo "array index $LSB_JOBINDEX uses lr=$lr"
cd "$HOME/corrupt-mnist" || exit 1
uv run corrupt-mnist train --device cuda training.lr="$lr" paths.model="models/lr_$lr.pt"
