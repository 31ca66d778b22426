#!/bin/bash
# The sweep as a SLURM job array: sbatch scripts/hpc/lr_sweep_slurm.sh. Try the body locally
# with SLURM_ARRAY_TASK_ID=3 bash scripts/hpc/lr_sweep_slurm.sh.
#SBATCH --job-name=lr_sweep
#SBATCH --array=1-5
#SBATCH --partition=gpu
#SBATCH --account=project_123456
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
#SBATCH --gres=gpu:1
#SBATCH --time=01:00:00
#SBATCH --output=logs/lr_%A_%a.out

rates=(0.1 0.03 0.01 0.003 0.001)
lr=${rates[$((SLURM_ARRAY_TASK_ID - 1))]}
echo "array index $SLURM_ARRAY_TASK_ID uses lr=$lr"
cd "$HOME/corrupt-mnist" || exit 1
uv run corrupt-mnist train --device cuda training.lr="$lr" paths.model="models/lr_$lr.pt"
