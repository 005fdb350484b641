// The README quick start, driven by a TypeScript client generated from the OpenAPI document (openapi-typescript types,
// openapi-fetch calls). `tsc` type-checks this file against the generated types first, so a document that describes
// the data wrongly fails here; then each step runs against a live app and checks the body it gets.
//   node dist/quickstart.js http://localhost:3077
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type ChartResponse = components["schemas"]["ChartResponse"];

const baseUrl = (process.argv[2] ?? "http://localhost:3001").replace(/\/$/, "");
const api = createClient<paths>({ baseUrl });
let accessToken: string | undefined;
const bearer: Middleware = {
  onRequest({ request }) {
    if (accessToken) request.headers.set("Authorization", `Bearer ${accessToken}`);
    return request;
  },
};
api.use(bearer);

let steps = 0;
let last = Date.now();
function check(condition: unknown, step: string, detail: unknown): asserts condition {
  if (!condition) {
    console.error(`FAILED ${step}: ${JSON.stringify(detail).slice(0, 1500)}`);
    process.exit(1);
  }
  steps++;
  console.log(`ok  ${step} (${Date.now() - last} ms)`);
  last = Date.now();
}

const salesCsv = [
  "month,region,sales",
  "2026-01-01,North,1200.5",
  "2026-01-01,South,980",
  "2026-02-01,North,1340",
  "2026-02-01,South,1010.25",
  "2026-03-01,North,1505",
  "2026-03-01,South,1122",
].join("\n");

async function main(): Promise<void> {
  const ready = await api.GET("/health/ready");
  check(ready.data?.status === "ok", "ready", ready.error ?? ready.data);

  const email = `quickstart-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const registered = await api.POST("/api/auth/register", {
    body: { email, password: "correct horse 42", first_name: "Ada", last_name: "Lovelace" },
  });
  check(registered.response.status === 201 && registered.data?.user.email === email, "register", registered.error);
  const login = await api.POST("/api/auth/login", { body: { email, password: "correct horse 42" } });
  check(login.data?.token_type === "bearer" && login.data.expires_in > 0, "login", login.error);
  accessToken = login.data.access_token;
  const me = await api.GET("/api/auth/me");
  check(me.data?.id === registered.data.user.id, "me", me.error ?? me.data);

  // Multipart: openapi-fetch sends the FormData the serializer returns (the schema types the file as a binary string).
  const upload = await api.POST("/api/data/upload", {
    body: { file: "sales.csv" },
    bodySerializer: () => {
      const form = new FormData();
      form.append("file", new Blob([salesCsv], { type: "text/csv" }), "sales.csv");
      return form;
    },
  });
  check(upload.response.status === 201 && upload.data?.row_count === 6, "upload", upload.error ?? upload.data);
  const source = upload.data;
  const sales = source.column_info.find((c) => c.name === "sales");
  check(sales?.type === "numeric" && source.suggested_charts.length > 0, "column types", source.column_info);

  const preview = await api.GET("/api/data/sources/{source_id}/preview", {
    params: { path: { source_id: source.data_source_id }, query: { limit: 2 } },
  });
  check(preview.data?.data.length === 2 && preview.data.data[0]?.["sales"] === 1200.5, "preview", preview.error ?? preview.data);

  const suggested = await api.GET("/api/charts/suggest-type", { params: { query: { data_source_id: source.data_source_id } } });
  const top = suggested.data?.suggestions[0];
  check(top?.config.x_column, "suggest", suggested.error ?? suggested.data);

  const created = await api.POST("/api/charts", {
    body: { data_source_id: source.data_source_id, chart_type: top.chart_type, title: "Monthly sales", config: top.config, generate_insights: true },
  });
  check(created.response.status === 201 && created.data, "create chart", created.error);
  const chart: ChartResponse = created.data;
  const datasets = (chart.chart_config["data"] as { datasets?: unknown[] } | undefined)?.datasets;
  check(chart.chart_config["type"] && datasets?.length, "chart_config is a Chart.js config", chart.chart_config);
  check(chart.ai_insights?.source === "statistical" && chart.ai_insights.headline, "insights", chart.ai_insights);
  // Typed uses (tsc rejects them if the document types a field wrongly) that must also hold for the data received.
  const typed: Array<[string, unknown, string]> = [
    ["chart.title", chart.title.trim(), "string"],
    ["chart.view_count", chart.view_count.toFixed(0), "string"],
    ["chart.is_public", !chart.is_public, "boolean"],
    ["chart.created_at", Date.parse(chart.created_at), "number"],
    ["source.size_bytes", source.size_bytes.toFixed(0), "string"],
    ["source.column_count", source.column_count + 0, "number"],
    ["sales.null_count", sales.null_count + 0, "number"],
  ];
  const mistyped = typed.filter(([, value, type]) => typeof value !== type || (typeof value === "number" && Number.isNaN(value)));
  check(mistyped.length === 0, "documented field types match the data", mistyped);

  const list = await api.GET("/api/charts", { params: { query: { page: 1, page_size: 20 } } });
  check(list.data?.total === 1 && list.data.items[0]?.chart_id === chart.chart_id, "list charts", list.error ?? list.data);

  const updated = await api.PUT("/api/charts/{chart_id}", { params: { path: { chart_id: chart.chart_id } }, body: { is_public: true } });
  check(updated.data?.is_public === true, "make public", updated.error ?? updated.data);
  const saved = accessToken;
  accessToken = undefined; // a public chart is readable without a token
  const shared = await api.GET("/api/public/charts/{chart_id}", { params: { path: { chart_id: chart.chart_id } } });
  accessToken = saved;
  check(shared.data?.title === "Monthly sales", "public chart", shared.error ?? shared.data);

  const exported = await api.POST("/api/export/image", { body: { chart_id: chart.chart_id, format: "png", width: 800, height: 500 } });
  check(exported.data?.status === "completed" && exported.data.download_url, "export png", exported.error ?? exported.data);
  const file = await fetch(new URL(exported.data.download_url, baseUrl));
  const head = new Uint8Array(await file.arrayBuffer()).slice(0, 4);
  check(file.status === 200 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47, "download png", file.status);

  const embed = await api.POST("/api/export/embed", { body: { chart_id: chart.chart_id, theme: "light", responsive: true } });
  check(embed.data?.iframe_code.includes(embed.data.embed_url), "embed code", embed.error ?? embed.data);

  const deleted = await api.DELETE("/api/charts/{chart_id}", { params: { path: { chart_id: chart.chart_id } } });
  check(deleted.response.status === 204, "delete chart", deleted.error);
  const gone = await api.GET("/api/charts/{chart_id}", { params: { path: { chart_id: chart.chart_id } } });
  check(gone.response.status === 404 && gone.error?.status === 404, "chart gone (Problem Details)", gone.error);
  const removed = await api.DELETE("/api/data/sources/{source_id}", { params: { path: { source_id: source.data_source_id } } });
  check(removed.response.status === 204, "delete source", removed.error);

  console.log(`quickstart: ${steps} steps passed against ${baseUrl} with the generated client`);
}

main().catch((error: unknown) => {
  console.error(`FAILED quickstart: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
