"""Drift in image embeddings next to drift in simple image statistics (the data drifting module).

``python scripts/clip_drift.py`` embeds half of the processed training images with CLIP (it needs
``uv add --dev transformers`` and downloads the model the first time), reduces the embeddings with
PCA and reports which components drift for three batches from the other half: the same images,
darker images and images turned by 90 degrees (a camera mounted sideways). Beside each verdict it
prints the one that brightness and contrast give, from scripts/image_feature_drift.py.
"""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.decomposition import PCA

from corrupt_mnist.data import load_split
from drift_demo import drift_tests, drifted_columns
from image_feature_drift import feature_table

# Grey images (N, 1, 28, 28) with values in [0, 1] in, one embedding row per image out.
Encoder = Callable[[torch.Tensor], torch.Tensor]


def clip_encoder(name: str = "openai/clip-vit-base-patch32") -> Encoder:
    """CLIP's image tower, imported and loaded only when called, so tests can pass their own."""
    from PIL import Image
    from transformers import CLIPImageProcessor, CLIPVisionModelWithProjection

    processor = CLIPImageProcessor.from_pretrained(name)
    model = CLIPVisionModelWithProjection.from_pretrained(name).eval()

    def embed(images: torch.Tensor) -> torch.Tensor:
        """CLIP wants RGB pictures: grey values 0-255 copied into three channels."""
        pictures = [
            Image.fromarray(image[0].mul(255).round().to(torch.uint8).numpy()).convert("RGB")
            for image in images
        ]
        inputs = processor(images=pictures, return_tensors="pt")
        return torch.nn.functional.normalize(model(**inputs).image_embeds, dim=-1)

    return embed


def embed_all(encoder: Encoder, images: torch.Tensor, batch_size: int = 32) -> np.ndarray:
    """Embed in batches, so a few hundred images fit in a laptop's memory."""
    with torch.inference_mode():
        return torch.cat([encoder(batch) for batch in images.split(batch_size)]).numpy()


def component_tables(
    reference: np.ndarray, current: np.ndarray, components: int = 8
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both embeddings as columns pc0, pc1, ... of a PCA that only the reference has seen."""
    pca = PCA(n_components=components).fit(reference)
    columns = [f"pc{i}" for i in range(components)]
    return (
        pd.DataFrame(pca.transform(reference), columns=columns),
        pd.DataFrame(pca.transform(current), columns=columns),
    )


def embedding_drift(encoder: Encoder, reference: torch.Tensor, current: torch.Tensor) -> list[str]:
    """The principal components of the embeddings whose drift test fails."""
    tables = component_tables(embed_all(encoder, reference), embed_all(encoder, current))
    return drifted_columns(drift_tests(*tables, html=None))


def to_unit_range(images: torch.Tensor, low: float, high: float) -> torch.Tensor:
    """Map the normalised pixels into [0, 1] with one fixed range: darker batches stay darker."""
    return ((images - low) / (high - low)).clamp(0, 1)


def main(encoder: Encoder | None = None, darken: float = 0.5) -> None:
    """Print, for each changed batch, the drifting statistics and the drifting components."""
    encoder = encoder or clip_encoder()
    images = load_split(Path("data/processed"), "train").tensors[0]
    half = len(images) // 2
    reference, rest = images[:half], images[half:]
    batches = {
        "same kind": rest,
        "darker": rest - darken,
        # Every pixel keeps its value, only its place changes: brightness and contrast cannot tell.
        "turned": rest.rot90(1, dims=(-2, -1)),
    }
    low, high = reference.min().item(), reference.max().item()
    for name, current in batches.items():
        features = drifted_columns(
            drift_tests(feature_table(reference), feature_table(current), html=None)
        )
        components = embedding_drift(
            encoder, to_unit_range(reference, low, high), to_unit_range(current, low, high)
        )
        print(f"{name}: statistics {features}, embedding {components}")


if __name__ == "__main__":
    main()
