# Sourced by the load scripts: the free plan's limits raised far above what a run needs, so that a benchmark measures
# the service and not the plan (a 10.8 MB file is over the free 10 MB; the soak makes 200 charts per account).
# Any of them already set in the environment wins.
for limit in MaxFileSizeMb:50 Sources:100000 StoredMb:1000000 Charts:1000000 ExportsPerDay:1000000 \
             AiInsightsPerDay:1000000 PublishesPerDay:1000000; do
  name="Plans__free__${limit%%:*}"
  [ -n "${!name:-}" ] || export "$name=${limit#*:}"
done
unset limit name
