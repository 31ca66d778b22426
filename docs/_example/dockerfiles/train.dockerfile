FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim

WORKDIR /app
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    PATH="/app/.venv/bin:$PATH"

# Dependencies first: this layer is rebuilt only when the lock file changes
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-install-project --no-dev

# Then your own code and configs, which change often. Data and models are not copied:
# mount them at run time (-v), so the image stays small and the same for every dataset.
COPY README.md ./
COPY configs/ configs/
COPY src/ src/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev

ENTRYPOINT ["corrupt-mnist"]
CMD ["train"]
