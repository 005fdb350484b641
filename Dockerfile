# syntax=docker/dockerfile:1
# One image for compose, Kubernetes and any container host:
#   docker build -t chartcraft .
#   docker run -p 127.0.0.1:3001:8000 -e DATABASE_URL=... -e REDIS_URL=... -e JWT_SECRET_KEY=... chartcraft
#   docker run ... chartcraft migrate        # the schema migration (deploy/migrations, embedded in the DLL), then exit
#
# .NET 10 images are Ubuntu 24.04, where "chromium" is only a snap shim that cannot run in a container. The runtime
# stage is therefore Debian 12 (the distribution CI and the tests run on, with the same chromium and font packages)
# carrying the ASP.NET runtime copied from Microsoft's image.

# --- build: restore (cached while ChartCraft.csproj is unchanged), then publish the API -------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY ChartCraft.csproj ./
RUN dotnet restore ChartCraft.csproj
COPY . .
RUN dotnet publish ChartCraft.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# --- the ASP.NET runtime, to copy from ----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet

# --- runtime: Debian's Chromium and fonts for exports, tini as PID 1, a non-root user -----------------------------------
FROM debian:bookworm-slim AS runtime
# chromium + fonts: without fonts chart text silently disappears; Noto CJK draws Chinese, Japanese and Korean text.
# tini reaps the zombies Chromium's helper processes leave and forwards SIGTERM to the app.
# libicu72, libssl3, zlib1g, ca-certificates, tzdata: what the .NET runtime needs from the OS. curl: the healthcheck.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      chromium fonts-liberation fonts-dejavu-core fonts-noto-cjk \
      tini curl ca-certificates tzdata libicu72 libssl3 zlib1g libstdc++6 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

# Files go to S3 when AWS_S3_BUCKET is set; without it they go to /data/files (mount a volume there).
# A numeric user (Kubernetes' runAsNonRoot can only verify a number) with a home: Chromium keeps its profile, crash
# reports and font cache under HOME, and uploads and browser profiles go to /tmp. With a read-only root file system,
# mount writable volumes on both (deploy/k8s does).
RUN groupadd --system --gid 10001 chartcraft \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/chartcraft --create-home --shell /usr/sbin/nologin chartcraft \
 && mkdir -p /data/files && chown -R 10001:10001 /data

WORKDIR /app
COPY --from=build /app ./

# PORT is the app's one listening-port setting; the healthcheck below probes the same variable.
ENV PORT=8000 \
    HOME=/home/chartcraft \
    CHROMIUM_PATH=/usr/bin/chromium \
    STORAGE_LOCAL_PATH=/data/files
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD curl -fs "http://localhost:${PORT}/health" || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "dotnet", "ChartCraft.dll"]
