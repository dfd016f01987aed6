# Okno: the server and the web app in one image.
#   docker build -t okno .
#   docker run -p 8080:8080 -e OKNO_JWT_SECRET=... -e OKNO_DATABASE_URL=postgres://... okno

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev libssl-dev libsqlite3-dev pkg-config nodejs npm \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
 && cargo install trunk --version 0.21.14 --locked \
 && cargo install wasm-bindgen-cli --version 0.2.130
WORKDIR /src
COPY . .
RUN scripts/build-web \
 && cargo build --release --locked -p okno

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libssl3 libsqlite3-0 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/okno --create-home okno
COPY --from=build /src/target/release/okno /usr/local/bin/okno
COPY --from=build /src/frontend/dist /usr/share/okno/web
USER okno
WORKDIR /var/lib/okno
ENV OKNO_LISTEN=0.0.0.0:8080 \
    OKNO_DATA_DIR=/var/lib/okno \
    OKNO_WEB_DIR=/usr/share/okno/web \
    OKNO_LOG_JSON=true
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fs http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["okno"]
CMD ["serve"]
