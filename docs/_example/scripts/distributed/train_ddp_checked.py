"""train_ddp.py after the distributed training page's exercises 1, 2, 8 and 9.

Each rank reports its shard, training resumes from checkpoint.pt, and at the end every rank
checks that the replicas agree and adds its test counts to one accuracy:
uv run torchrun --standalone --nproc_per_node=2 scripts/distributed/train_ddp_checked.py --epochs 5
"""

import argparse
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
from train_ddp import join_process_group, make_model, synthetic_data, train_epoch

CHECKPOINT = Path("checkpoint.pt")


def parameter_checksums(model: nn.Module) -> list[float]:
    """Return the parameter sum of every rank, gathered on every rank (exercise 2)."""
    local = sum(p.detach().sum().item() for p in model.parameters())
    gathered: list[float] = [0.0] * dist.get_world_size()
    dist.all_gather_object(gathered, local)
    return gathered


def global_accuracy(model: nn.Module, device: torch.device) -> tuple[float, int]:
    """Accuracy on 1000 fresh samples, each rank counting its shard (exercise 8)."""
    test_x = torch.randn(1000, 20, generator=torch.Generator().manual_seed(1))
    test_set = TensorDataset(test_x, (test_x.sum(dim=1, keepdim=True) > 0).float())
    sampler = DistributedSampler(test_set, shuffle=False)
    counts = torch.zeros(2, device=device)  # correct, seen
    with torch.no_grad():
        for xb, yb in DataLoader(test_set, batch_size=256, sampler=sampler):
            xb, yb = xb.to(device), yb.to(device)
            counts[0] += ((model(xb) > 0).float() == yb).sum()
            counts[1] += len(yb)
    dist.all_reduce(counts, op=dist.ReduceOp.SUM)  # sums, not an average of accuracies
    return (counts[0] / counts[1]).item(), int(counts[1])


# [checkpoint]
def load_checkpoint(
    model: nn.Module, optimizer: torch.optim.Optimizer, device: torch.device
) -> int:
    """Restore the last saved epoch on every rank; return the epoch to start at (exercise 9)."""
    if not CHECKPOINT.exists():
        return 0
    state = torch.load(CHECKPOINT, map_location=device)  # onto this rank's own device
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"] + 1


def save_checkpoint(model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int) -> None:
    """Rank 0 writes; the barrier keeps every rank from going on before the file is complete."""
    if dist.get_rank() == 0:
        state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}
        torch.save(state, CHECKPOINT)
    dist.barrier()


# [checkpoint-end]


def main(epochs: int) -> None:
    """train_ddp.main with the four additions; `epochs` is the total, resumed runs included."""
    device = join_process_group()
    rank, world_size = dist.get_rank(), dist.get_world_size()
    dataset = synthetic_data()
    sampler = DistributedSampler(dataset, shuffle=True)
    print(f"rank {rank}: {len(sampler)} samples", flush=True)  # exercise 1: every rank prints
    loader = DataLoader(dataset, batch_size=64, sampler=sampler)
    model, ddp_model = make_model(device)
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.1)

    # [resume]
    for epoch in range(load_checkpoint(model, optimizer, device), epochs):
        sampler.set_epoch(epoch)
        loss = train_epoch(ddp_model, loader, optimizer, device)
        if rank == 0:
            print(f"epoch {epoch}: loss {loss:.4f}, world size {world_size}")
        save_checkpoint(model, optimizer, epoch)
    # [resume-end]

    checksums = parameter_checksums(model)
    accuracy, seen = global_accuracy(model, device)
    if rank == 0:
        print(f"parameter sums: {checksums}")
        print(f"accuracy {accuracy:.4f} on {seen} samples")
    dist.destroy_process_group()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="total epochs, resumed ones included")
    main(parser.parse_args().epochs)
