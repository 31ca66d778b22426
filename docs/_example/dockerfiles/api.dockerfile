FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim

WORKDIR /app
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    PATH="/app/.venv/bin:$PATH" \
    PORT=8000 \
    MODEL_PATH=/app/models/model.pt

COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-install-project --no-dev

COPY README.md ./
COPY configs/ configs/
COPY src/ src/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev

# The weights are not baked in: mount them at /app/models, or set MODEL_PATH to a mounted bucket.
EXPOSE 8000
CMD ["sh", "-c", "exec uvicorn corrupt_mnist.api:app --host 0.0.0.0 --port ${PORT}"]
