# syntax=docker/dockerfile:1
# Build stage: restore and publish the API.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY ChartCraft.csproj ./
RUN dotnet restore ChartCraft.csproj
COPY . .
RUN dotnet publish ChartCraft.csproj -c Release -o /app --no-restore

# Runtime stage: ASP.NET runtime plus Debian's Chromium and fonts for chart exports
# (without fonts, chart text silently disappears; Noto CJK draws Chinese, Japanese and Korean titles and labels).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core fonts-noto-cjk curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# PORT is the app's one listening-port setting; the healthcheck below probes the same variable.
ENV PORT=8000 \
    CHROMIUM_PATH=/usr/bin/chromium \
    STORAGE_LOCAL_PATH=/data/files
RUN useradd --system --create-home chartcraft && mkdir -p /data/files && chown -R chartcraft /data
USER chartcraft
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD curl -fs "http://localhost:${PORT}/health" || exit 1
ENTRYPOINT ["dotnet", "ChartCraft.dll"]
