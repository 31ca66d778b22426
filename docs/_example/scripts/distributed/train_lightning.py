"""The distributed training page's small network as a LightningModule (exercises 4 and 10).

`python scripts/distributed/train_lightning.py` trains on two CPU processes with DDP;
`--devices 1 --accumulate 2` gives one process the same effective batch of 128.
"""

import argparse

import lightning as L
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

Batch = tuple[torch.Tensor, torch.Tensor]


# [lit-tiny-mlp]
class LitTinyMLP(L.LightningModule):
    """Twenty inputs, one logit: is the sum of the inputs positive?"""

    def __init__(self, lr: float = 0.1) -> None:
        """Keep lr in the checkpoint, so load_from_checkpoint can rebuild the module."""
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1))
        self.loss_fn = nn.BCEWithLogitsLoss()

    def training_step(self, batch: Batch, batch_idx: int) -> torch.Tensor:
        """Return the loss; sync_dist shows the mean over all processes in the progress bar."""
        x, y = batch
        loss = self.loss_fn(self.net(x), y)
        self.log("train_loss", loss, sync_dist=True, prog_bar=True)
        return loss

    def configure_optimizers(self) -> torch.optim.Optimizer:
        """Plain SGD, as in the page's torchrun script."""
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


def synthetic_loader(samples: int = 4096, batch_size: int = 64) -> DataLoader:
    """The same data in every process (seed 0), and no sampler: Lightning adds its own."""
    x = torch.randn(samples, 20, generator=torch.Generator().manual_seed(0))
    y = (x.sum(dim=1, keepdim=True) > 0).float()
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)


# [lit-tiny-mlp-end]


# [fit]
def fit(devices: int, accumulate: int, epochs: int) -> L.Trainer:
    """Train on `devices` CPU processes; Lightning starts the others by running this again."""
    trainer = L.Trainer(
        accelerator="cpu",
        devices=devices,
        strategy="ddp" if devices > 1 else "auto",
        accumulate_grad_batches=accumulate,
        max_epochs=epochs,
    )
    trainer.fit(LitTinyMLP(), synthetic_loader())
    if trainer.is_global_zero:  # every process gets here; one of them reports
        print(f"{trainer.global_step} optimiser steps on {trainer.world_size} process(es)")
    return trainer


# [fit-end]


def main() -> None:
    """Read the three numbers from the command line and train."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2, help="CPU processes (2: DDP)")
    parser.add_argument("--accumulate", type=int, default=1, help="batches per optimiser step")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    fit(args.devices, args.accumulate, args.epochs)


if __name__ == "__main__":
    main()
