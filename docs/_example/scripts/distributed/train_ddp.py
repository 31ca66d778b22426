"""Train a small classifier with DistributedDataParallel: torchrun starts one copy per process.

uv run torchrun --standalone --nproc_per_node=2 scripts/distributed/train_ddp.py
"""

import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def join_process_group() -> torch.device:
    """Join the group torchrun describes; NCCL and one GPU per process, else Gloo on the CPU."""
    use_cuda = torch.cuda.is_available()
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    if not use_cuda:
        return torch.device("cpu")
    local_rank = int(os.environ["LOCAL_RANK"])  # set by torchrun: this process's GPU
    torch.cuda.set_device(local_rank)
    return torch.device("cuda", local_rank)


def synthetic_data(samples: int = 4096) -> TensorDataset:
    """The same 20 features and labels in every process: is their sum positive?"""
    x = torch.randn(samples, 20, generator=torch.Generator().manual_seed(0))
    return TensorDataset(x, (x.sum(dim=1, keepdim=True) > 0).float())


def make_model(device: torch.device) -> tuple[nn.Module, DDP]:
    """The bare model and its DDP wrapper, which starts every rank from rank 0's weights."""
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1)).to(device)
    return model, DDP(model, device_ids=[device.index] if device.type == "cuda" else None)


def train_epoch(
    ddp_model: DDP, loader: DataLoader, optimizer: torch.optim.Optimizer, device: torch.device
) -> float:
    """One pass over this rank's shard; return the loss of its last batch."""
    loss_fn = nn.BCEWithLogitsLoss()
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()
        loss = loss_fn(ddp_model(xb), yb)
        loss.backward()  # gradients are all-reduced here
        optimizer.step()
    return loss.item()


def main(epochs: int = 5) -> None:
    """Train on this process's shard; rank 0 alone prints and saves."""
    device = join_process_group()
    rank, world_size = dist.get_rank(), dist.get_world_size()
    dataset = synthetic_data()
    sampler = DistributedSampler(dataset, shuffle=True)  # every world_size-th index, per rank
    loader = DataLoader(dataset, batch_size=64, sampler=sampler)
    model, ddp_model = make_model(device)
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.1)

    for epoch in range(epochs):
        sampler.set_epoch(epoch)  # a new shuffle every epoch, the same one on every rank
        loss = train_epoch(ddp_model, loader, optimizer, device)
        if rank == 0:
            print(f"epoch {epoch}: loss {loss:.4f}, world size {world_size}")

    if rank == 0:
        torch.save(model.state_dict(), "model.pt")  # the bare model: loads without DDP
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
