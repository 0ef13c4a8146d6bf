# The build stage runs as root; only the final stage matters at run time.
FROM golang:1.22.5-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/eligibility ./cmd/eligibility

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/eligibility /eligibility
USER 65532:65532
ENTRYPOINT ["/eligibility"]
