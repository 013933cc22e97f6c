# syntax=docker/dockerfile:1
# brief in a container: `docker build -t brief .`, then in a site's folder
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD":/site brief build
#   docker run --rm -p 127.0.0.1:1111:1111 -v "$PWD":/site brief serve --bind 0.0.0.0
# (README.md, "Install"). Two stages: the Rust toolchain compiles brief with the dist
# profile; the image that ships holds only the binary, the C runtime it links (glibc,
# libgcc) and CA certificates: no shell, no package manager, no compiler.

# Same Debian release (bookworm, glibc 2.36) in both stages, so the binary finds its libc.
ARG RUST_VERSION=1.95
FROM rust:${RUST_VERSION}-slim-bookworm AS build
# .dockerignore leaves .git out, so build.rs cannot ask git for the commit; pass it with
# --build-arg BRIEF_COMMIT="$(git rev-parse --short=12 HEAD)" to see it in `brief --version`.
ARG BRIEF_COMMIT=unknown
ENV BRIEF_COMMIT=${BRIEF_COMMIT}
WORKDIR /src
COPY . .
# The registry and target folders are build caches, so a rebuild after an edit is
# incremental; the binary is copied out of the cache in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked --bin brief \
    && cp target/dist/brief /usr/local/bin/brief

# distroless/cc: glibc, libgcc, CA certificates, /tmp and /etc/passwd, nothing else. The
# nonroot tag runs as an unprivileged user; `docker run --user "$(id -u):$(id -g)"` runs as you,
# so that `brief build` can write public/ in the mounted site.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
COPY --from=build /usr/local/bin/brief /usr/local/bin/brief
# The site is mounted here; `brief` runs on the current folder.
WORKDIR /site
# `brief serve` listens on 1111; inside a container it must be told --bind 0.0.0.0.
EXPOSE 1111
ENTRYPOINT ["/usr/local/bin/brief"]
CMD ["--help"]
