FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim

WORKDIR /app
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    PORT=8501

# Streamlit, requests and Pillow only: the page calls the API, so the image needs no PyTorch.
COPY requirements_frontend.txt ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --system -r requirements_frontend.txt

COPY src/corrupt_mnist/frontend.py frontend.py

EXPOSE 8501
CMD ["sh", "-c", "exec streamlit run frontend.py --server.port ${PORT} --server.address 0.0.0.0"]
