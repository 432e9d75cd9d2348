/** Fake secrets, one per rule of the preset, for the redaction tests. */

// Fake secrets of the right shapes, made at run time so no token-like literal sits in the source.
const pick = (n: number, alphabet = "aB3dE5gH7jK9mN2pQ4sT6vW8yZ") =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join("")
const hex = (n: number) => pick(n, "0123456789abcdef")
const digits = (n: number) => pick(n, "0123456789")
function onePassword(): string {
  let json = JSON.stringify({ signInAddress: "https://my.1password.com", email: "ada@example.com", secret: pick(40) })
  while (json.length % 3 !== 1) json = json.replace("{", "{ ")
  return `ops_${btoa(json)}`
}

/** One secret for every rule of the preset that runs on text (gcp's only run on .json/.p12 files). */
export const SAMPLES: Record<string, { readonly text: string; readonly kind: string }> = {
  aws: { text: `AWS_SECRET_ACCESS_KEY=${pick(40)}`, kind: "aws-secret-access-key" },
  "aws key id": { text: `AKIA${pick(16, "ABCDEFGHJKLMNPQRSTUVWXYZ234567")}`, kind: "aws-access-key-id" },
  "aws account": { text: `AWS_ACCOUNT_ID=${digits(4)}-${digits(4)}-${digits(4)}`, kind: "aws-account-id" },
  privatekey: {
    text: `-----BEGIN RSA PRIVATE KEY-----\nMII${pick(64)}\n${pick(64)}\n${pick(40)}\n-----END RSA PRIVATE KEY-----`,
    kind: "private-key",
  },
  npm: { text: `npm_${pick(36)}`, kind: "npm-access-token" },
  npmrc: { text: `//registry.npmjs.org/:_authToken=${pick(36)}`, kind: "npmrc-auth-token" },
  basicauth: { text: `https://deploy:${pick(12)}@example.com/path`, kind: "password" },
  slack: { text: `xoxb-${digits(12)}-${digits(13)}-${pick(24)}`, kind: "slack-token" },
  "slack webhook": { text: `https://hooks.slack.com/services/T${pick(8).toUpperCase()}/B${pick(8).toUpperCase()}/${pick(24)}`, kind: "incoming-webhook" },
  sendgrid: { text: `SG.${pick(22)}.${pick(43)}`, kind: "sendgrid-key" },
  shopify: { text: `shpat_${hex(32)}`, kind: "shopify-key" },
  stripe: { text: `sk_live_${pick(24)}`, kind: "stripe-secret-key-live" },
  github: { text: `ghp_${pick(36)}`, kind: "github-token" },
  "github fine-grained": { text: `github_pat_${pick(82)}`, kind: "github-token" },
  gitlab: { text: `glpat-${pick(20)}`, kind: "gitlab-personal-access-token" },
  grafana: { text: `glc_${pick(40)}`, kind: "grafana-cloud-api-token" },
  "grafana service account": { text: `glsa_${pick(32)}_${hex(8)}`, kind: "grafana-service-account-token" },
  openai: { text: `sk-${pick(20)}T3BlbkFJ${pick(20)}`, kind: "openai-token" },
  anthropic: { text: `sk-ant-api03-${pick(93)}AA`, kind: "anthropic-api-key" },
  groq: { text: `gsk_${pick(52)}`, kind: "groq-api-key" },
  huggingface: { text: `hf_${pick(34, "abcdefghijkLMNOPQRSTuvwxyz")}`, kind: "huggingface-user-access-token" },
  linear: { text: `lin_api_${pick(40)}`, kind: "linear-api-token" },
  notion: { text: `ntn_${digits(11)}${pick(35)}`, kind: "notion-integration-token" },
  "1password": { text: onePassword(), kind: "ops-token" },
  postgres: { text: `postgres://admin:${pick(12)}@db.example.com:5432/app`, kind: "password" },
  mysql: { text: `mysql://root:${pick(12)}@localhost:3306/app`, kind: "password" },
  mongodb: { text: `mongodb+srv://app:${pick(12)}@cluster0.example.net/db`, kind: "password" },
  "hashicorp vault": { text: `hvs.${pick(95)}`, kind: "hashicorp-vault-service-token" },
  vercel: { text: `vcp_${pick(24)}`, kind: "vercel-personal-access-token" },
  databricks: { text: `dapi${hex(32)}`, kind: "databricks-personal-access-token" },
  docker: { text: `dckr_pat_${pick(27)}`, kind: "docker-personal-access-token" },
  figma: { text: `figd_${pick(40)}`, kind: "figma-personal-access-token" },
  cloudflare: { text: `cfat_${pick(40)}${hex(8)}`, kind: "cloudflare-account-api-token" },
  tailscale: { text: `tskey-auth-${pick(10)}-${pick(20)}`, kind: "tailscale-auth-key" },
}
