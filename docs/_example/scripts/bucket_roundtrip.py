"""Send the trained weights to the bucket and back, and check that every byte arrived.

The using-the-cloud module, exercise 10. `python scripts/bucket_roundtrip.py` uploads
models/model.pt to gs://mlops-group-42-data/models/model.pt, asks the bucket for the object's
size, and downloads it to models/model_copy.pt only when that size is the local file's.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

BUCKET = "mlops-group-42-data"


def open_bucket(name: str) -> Any:
    """The bucket through google-cloud-storage, which finds the Application Default Credentials."""
    from google.cloud import storage

    return storage.Client().bucket(name)


def roundtrip(bucket: Any, local: Path, object_name: str, copy: Path) -> int:
    """Upload, read the stored size back, then download; a size mismatch stops before the copy."""
    bucket.blob(object_name).upload_from_filename(str(local))
    stored = bucket.get_blob(object_name)  # a fresh request: what the bucket really holds
    local_size = local.stat().st_size
    print(f"bucket: {stored.size} bytes, local: {local_size} bytes")
    if stored.size != local_size:
        raise ValueError(f"gs://{bucket.name}/{object_name} is not a full copy of {local}")
    stored.download_to_filename(str(copy))
    print(f"downloaded to {copy}")
    return local_size


def main(argv: list[str] | None = None) -> int:
    """Run the round trip; exit with 1 and say why when the bucket's copy differs in size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("local", type=Path, nargs="?", default=Path("models/model.pt"))
    parser.add_argument("--bucket", default=BUCKET)
    parser.add_argument("--copy", type=Path, default=Path("models/model_copy.pt"))
    args = parser.parse_args(argv)
    try:
        roundtrip(open_bucket(args.bucket), args.local, f"models/{args.local.name}", args.copy)
    except ValueError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
