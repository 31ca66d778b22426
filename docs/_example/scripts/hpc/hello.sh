#!/bin/bash
# A first batch job: 1 core for 10 minutes in the CPU queue. Try the body with bash hello.sh,
# then submit it with bsub < hello.sh.
#BSUB -J hello
#BSUB -q hpc
#BSUB -n 1
#BSUB -R "rusage[mem=1GB]"
#BSUB -W 00:10
#BSUB -o hello_%J.out
#BSUB -e hello_%J.err

echo "running on $(hostname) at $(date)"
echo "cores visible: $(nproc)"
