"""The convolutional network that classifies corrupted MNIST digits."""

import torch
from torch import nn


class MnistCNN(nn.Module):
    """Two convolutions and one linear layer: small enough to train on a laptop CPU."""

    def __init__(self, channels: int = 32, dropout: float = 0.25) -> None:
        """Build the layers; `channels` is the width of the first convolution."""
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, channels, kernel_size=3, padding=1),  # (N, 1, 28, 28) -> (N, C, 28, 28)
            nn.ReLU(),
            nn.MaxPool2d(2),  # -> (N, C, 14, 14)
            nn.Conv2d(channels, 64, kernel_size=3, padding=1),  # -> (N, 64, 14, 14)
            nn.ReLU(),
            nn.MaxPool2d(2),  # -> (N, 64, 7, 7)
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(64 * 7 * 7, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return one logit per digit class for a batch of shape (N, 1, 28, 28)."""
        if x.ndim != 4 or x.shape[1:] != (1, 28, 28):
            raise ValueError(f"expected a batch of shape (N, 1, 28, 28), got {tuple(x.shape)}")
        return self.classifier(self.features(x))


if __name__ == "__main__":
    model = MnistCNN()
    print(model(torch.rand(64, 1, 28, 28)).shape)
    print(f"{sum(p.numel() for p in model.parameters())} parameters")
