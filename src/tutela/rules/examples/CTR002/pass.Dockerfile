# Every base image pinned: an explicit version tag and a digest.
FROM golang:1.22.5-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/provider-sync ./cmd/provider-sync

FROM gcr.io/distroless/static-debian12@sha256:41972110a1c1a5c0b6adb283e8aa092c43c31f7c5d79b8656fbffff2c3e61f05
COPY --from=build /out/provider-sync /provider-sync
USER 65532:65532
ENTRYPOINT ["/provider-sync"]
