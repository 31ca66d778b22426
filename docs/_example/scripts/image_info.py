"""Describe an uploaded image: the upload exercise of the API module.

Pillow is only a development dependency of the project, so this endpoint lives in a small app of
its own instead of the served `corrupt_mnist.api`. Start it with
``uv run fastapi dev scripts/image_info.py``.
"""

import io

from fastapi import FastAPI, HTTPException, UploadFile
from PIL import Image, UnidentifiedImageError

app = FastAPI(title="Image info")


@app.post("/image-info")
async def image_info(file: UploadFile) -> dict[str, str | int]:
    """Name, size and colour mode of the upload; 400 when Pillow cannot read it as an image."""
    content = await file.read()
    try:
        image = Image.open(io.BytesIO(content))
    except UnidentifiedImageError:
        detail = f"{file.filename} is not an image I can read"
        raise HTTPException(status_code=400, detail=detail) from None
    return {
        "filename": file.filename or "",
        "width": image.width,
        "height": image.height,
        "mode": image.mode,
    }
