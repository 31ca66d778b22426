#!/bin/bash
# The same job for a SLURM cluster: sbatch scripts/hpc/train_slurm.sh from the project root.
# Partition and account come from the documentation of the system you use.
#SBATCH --job-name=train_mnist
#SBATCH --partition=gpu
#SBATCH --account=project_123456
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
#SBATCH --gres=gpu:1
#SBATCH --time=04:00:00
#SBATCH --output=logs/%x_%j.out

cd "$HOME/corrupt-mnist" || exit 1
srun uv run corrupt-mnist train --device cuda training.epochs=20
