# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.23.2
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/referrals ./cmd/referrals

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/referrals /referrals

FROM runtime
USER nonroot:nonroot
ENTRYPOINT ["/referrals"]
