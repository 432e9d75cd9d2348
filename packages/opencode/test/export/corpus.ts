/**
 * The labelled redaction corpus: real-shaped secrets of every kind the
 * overlay redacts (fake values, made at run time so no token-like literal
 * sits in the source), and look-alikes from ordinary sessions that must
 * survive. docs/redaction.md reports the measured recall and false positives.
 */
import { SAMPLES } from "./secrets.ts"

const pick = (n: number, seed = 0, alphabet = "aB3dE5gH7jK9mN2pQ4sT6vW8yZcF1") =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3 + seed * 11) % alphabet.length]).join("")
const hex = (n: number, seed = 0) => pick(n, seed, "0123456789abcdef")
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (seed: number) => `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: `user-${seed}`, iat: 1700000000 + seed })}.${pick(43, seed, "abcdefghijkLMNOPQRST0123456789-_")}`
const pem = (seed: number, numbered: boolean) => {
  const lines = ["-----BEGIN PRIVATE KEY-----", ...Array.from({ length: 6 }, (_, i) => pick(64, seed + i)), "-----END PRIVATE KEY-----"]
  return numbered ? lines.map((l, i) => `${String(i + 1).padStart(5, "0")}| ${l}`).join("\n") : lines.join("\n")
}

/** Text holding one secret, and the secret value that must not survive (the preset's samples: the text changes). */
export type Labelled = { readonly kind: string; readonly text: string; readonly secret?: string }

const entry = (kind: string, text: string, secret?: string): Labelled => ({ kind, text, ...(secret ? { secret } : {}) })

export const SECRETS: ReadonlyArray<Labelled> = [
  // Every rule of secretlint's preset.
  ...Object.entries(SAMPLES).map(([rule, s]) => entry(rule, s.text)),
  // A secretlint-disable comment in a session's text does not switch redaction off.
  entry("disable comment", `# secretlint-disable\n${SAMPLES.github!.text}`, SAMPLES.github!.text),
  // JWTs, bare and in context.
  ...[1, 2, 3, 4].map((i) => entry("jwt", `token: ${jwt(i)}`, jwt(i))),
  entry("jwt", `{"id_token":"${jwt(5)}"}`, jwt(5)),
  entry("jwt", `Set-Cookie: session=${jwt(6)}; HttpOnly`, jwt(6)),
  // Authorization and API-key headers, also inside curl.
  ...[1, 2, 3].map((i) => entry("authorization", `Authorization: Bearer ${pick(40, i)}`, pick(40, i))),
  entry("authorization", `curl -H "Authorization: Bearer ${pick(32, 4)}" https://api.example.com/v1/me`, pick(32, 4)),
  entry("authorization", `curl -H 'Authorization: token ${pick(40, 5)}' https://api.example.com`, pick(40, 5)),
  entry("authorization", `authorization: Basic ${Buffer.from(`deploy:${pick(16, 6)}`).toString("base64")}`, Buffer.from(`deploy:${pick(16, 6)}`).toString("base64")),
  entry("authorization", `headers: { "Authorization": "Bearer ${pick(36, 7)}" }`, pick(36, 7)),
  ...[1, 2, 3].map((i) => entry("api-key header", `X-API-Key: ${pick(32, 10 + i)}`, pick(32, 10 + i))),
  entry("api-key header", `curl -H "x-api-key: ${pick(40, 14)}" https://api.example.com/v2`, pick(40, 14)),
  entry("api-key header", `fetch(url, { headers: { "X-Auth-Token": "${pick(28, 15)}" } })`, pick(28, 15)),
  // curl -u user:password.
  entry("curl -u", `curl -u admin:${pick(14, 16)} https://ci.example.com/api`, pick(14, 16)),
  entry("curl -u", `curl --user "deploy:${pick(18, 17)}" -X POST https://example.com`, pick(18, 17)),
  entry("curl -u", `$ curl -s -u bot:${pick(20, 18)} https://registry.example.com/v2/_catalog`, pick(20, 18)),
  // Google API keys.
  ...[1, 2, 3].map((i) => entry("google api key", `GOOGLE_MAPS_KEY=AIza${pick(35, 20 + i, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")}`, `AIza${pick(35, 20 + i, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")}`)),
  entry("google api key", `const key = "AIza${pick(35, 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")}"`, `AIza${pick(35, 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")}`),
  // Secrets assigned to a secret-like name, in every notation.
  entry("generic .env", `STRIPE_WEBHOOK_SECRET=${pick(32, 30)}`, pick(32, 30)),
  entry("generic .env", `DATABASE_PASSWORD=${pick(20, 31)}`, pick(20, 31)),
  entry("generic .env", `SENTRY_AUTH_TOKEN=${hex(64, 32)}`, hex(64, 32)),
  entry("generic .env", `MY_SERVICE_API_KEY=${pick(24, 33)}`, pick(24, 33)),
  entry("generic export", `export GITEA_ACCESS_TOKEN=${hex(40, 34)}`, hex(40, 34)),
  entry("generic export", `export SIGNING_KEY="${pick(44, 35)}"`, pick(44, 35)),
  entry("generic yaml", `  client_secret: ${pick(30, 36)}`, pick(30, 36)),
  entry("generic yaml", `    password: "${pick(22, 37)}"`, pick(22, 37)),
  entry("generic yaml", `api_key: '${pick(26, 38)}'`, pick(26, 38)),
  entry("generic json", `{"clientSecret": "${pick(32, 39)}", "clientId": "app"}`, pick(32, 39)),
  entry("generic json", `"encryption_key": "${pick(40, 40)}",`, pick(40, 40)),
  entry("generic json", `{"refresh_token":"${pick(48, 41)}"}`, pick(48, 41)),
  entry("generic toml", `secret_key = "${pick(50, 42)}"`, pick(50, 42)),
  entry("generic toml", `auth_key = "${pick(36, 43)}"`, pick(36, 43)),
  entry("generic env", `GH_PAT=${pick(40, 44)}`, pick(40, 44)),
  entry("generic env", `DJANGO_SECRET_KEY=${pick(50, 45, "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*-_=+")}`, pick(50, 45, "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*-_=+")),
  entry("generic env", `NPM_TOKEN=${pick(36, 46)}`, pick(36, 46)),
  entry("generic env", `SMTP_PASSWD=${pick(16, 47)}`, pick(16, 47)),
  // Connection strings with a password.
  entry("connection string", `MONGO_URL=mongodb+srv://app:${pick(16, 50)}@cluster0.example.net/db`, pick(16, 50)),
  entry("connection string", `redis://default:${pick(24, 51)}@cache.example.com:6379/0`, pick(24, 51)),
  entry("connection string", `rediss://:${pick(24, 52)}@cache.example.com:6380`, pick(24, 52)),
  entry("connection string", `amqp://guest:${pick(18, 53)}@mq.example.com:5672/vhost`, pick(18, 53)),
  entry("connection string", `mysql://root:${pick(14, 54)}@127.0.0.1:3306/app`, pick(14, 54)),
  entry("connection string", `DATABASE_URL="postgresql://app:${pick(20, 55)}@db.internal:5432/prod"`, pick(20, 55)),
  // Slack webhooks.
  entry("slack webhook", `https://hooks.slack.com/workflows/T${pick(8, 56).toUpperCase()}/A${pick(8, 57).toUpperCase()}/${pick(20, 58)}/${pick(24, 59)}`, `https://hooks.slack.com/workflows/T${pick(8, 56).toUpperCase()}/A${pick(8, 57).toUpperCase()}/${pick(20, 58)}/${pick(24, 59)}`),
  entry("slack webhook", `https://hooks.slack.com/triggers/T${pick(8, 60).toUpperCase()}/${pick(12, 61)}/${pick(32, 62)}`, `https://hooks.slack.com/triggers/T${pick(8, 60).toUpperCase()}/${pick(12, 61)}/${pick(32, 62)}`),
  // Private keys, whole and numbered line by line (a read tool's output).
  entry("private key", pem(70, false), pick(64, 71)),
  entry("private key", pem(80, true), pick(64, 81)),
  entry("private key", `cat id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\n${pick(70, 90)}\n${pick(70, 91)}\n-----END OPENSSH PRIVATE KEY-----\n`, pick(70, 91)),
  // A private key whose END line is missing: a paste cut short, a tool's output truncated.
  entry("private key, cut", `-----BEGIN RSA PRIVATE KEY-----\n${pick(64, 92)}\n${pick(64, 93)}\n${pick(20, 94)}`, pick(64, 93)),
  entry("private key, cut", `${pem(95, true).split("\n").slice(0, 5).join("\n")}\n\n(Output truncated at 5 lines)`, pick(64, 97)),
  entry("private key, cut", `-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${hex(32, 98)}\n\n${pick(64, 99)}\n...`, pick(64, 99)),
  // Passwords that do not look random, assigned to a name that says password.
  entry("password, plain value", "DB_PASSWORD=correct-horse-battery-staple", "correct-horse-battery-staple"),
  entry("password, plain value", "export PGPASSWORD=sunshine2024 && psql -h db -U app", "sunshine2024"),
  entry("password, plain value", `MYSQL_ROOT_PASSWORD="correct horse battery staple"`, "correct horse battery staple"),
  entry("password, plain value", "      - POSTGRES_PASSWORD=letmein99", "letmein99"),
  entry("password, plain value", "  password: hunter2hunter2", "hunter2hunter2"),
  entry("password, plain value", "  db_password: springtime", "springtime"),
  entry("password, plain value", `{"username": "admin", "password": "admin123"}`, "admin123"),
  entry("password, plain value", `const conn = mysql.createConnection({ user: "app", password: "bluebird42" })`, "bluebird42"),
  entry("password, plain value", `$config['db_pass'] = 'wintertime';`, "wintertime"),
  entry("password, plain value", "Server=db;Database=app;User Id=sa;Password=Summer2024;", "Summer2024"),
  entry("password, plain value", "smtp_passwd = tulip-garden-7", "tulip-garden-7"),
  entry("password, plain value", `adminPassword := "orangejuice"`, "orangejuice"),
  entry("password, plain value", "https://example.com/login?user=ada&password=sunflower", "sunflower"),
  // Passwords on a command line.
  entry("password, command line", "mysql -u root -pS3cretPass app_db < dump.sql", "S3cretPass"),
  entry("password, command line", "$ mysqldump -h 127.0.0.1 -u backup -p'bird song 9' shop > shop.sql", "bird song 9"),
  entry("password, command line", "mariadb -uroot -pmarmalade -e 'show databases'", "marmalade"),
  entry("password, command line", "psql-wrapper --password Tr0ub4dor --host db", "Tr0ub4dor"),
  entry("password, command line", "mysql --user=app --password=cinnamon42 app", "cinnamon42"),
  entry("password, command line", `docker login registry.example.com -u ci -p "quiet river 5"`, "quiet river 5"),
  entry("password, command line", "sshpass -p rosebud99 ssh deploy@10.0.0.5 uptime", "rosebud99"),
  entry("password, command line", "redis-cli -h cache -a nightingale7 ping", "nightingale7"),
  entry("password, command line", "vault login -method=userpass username=ada password=lighthouse8", "lighthouse8"),
  // Written escaped: URL-encoded, or with JSON's \u escapes.
  entry("escaped", "DATABASE_URL=postgres%3A%2F%2Fapp%3AVq7rT2pLm9sX%40db.internal%3A5432%2Fprod", "Vq7rT2pLm9sX"),
  entry("escaped", "GET /callback?next=%2Fhome&client_secret%3DaB3dE5gH7jK9mN2pQ4sT6vW8 HTTP/1.1", "aB3dE5gH7jK9mN2pQ4sT6vW8"),
  entry("escaped", `aws_secret_access_key=${"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY".replace("EXAMPLE", "Q4sT6vW").replace(/\//g, "%2F")}`, "K7MDENG%2FbPxRfiCYzQ4sT6vWKEY"),
  entry("escaped", `{"body":"{\\u0022password\\u0022:\\u0022marigold77\\u0022}"}`, "marigold77"),
  entry("escaped", `{"dsn":"redis:\\/\\/default:${pick(24, 100)}@cache:6379"}`, pick(24, 100)),
  entry("escaped", `"note": "login with \\u0070assword=daffodil-9"`, "daffodil-9"),
]

/** Ordinary text that must come out unchanged. */
export const LOOKALIKES: ReadonlyArray<string> = [
  // git
  `commit ${hex(40, 1)}\nAuthor: Ada <ada@example.com>`,
  `${hex(7, 2)} Fix the flaky build script`,
  `git checkout ${hex(40, 3)}`,
  `Merge: ${hex(7, 4)} ${hex(7, 5)}`,
  `tree ${hex(40, 6)}\nparent ${hex(40, 7)}`,
  // ids
  "id: 3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60",
  `uuid = "${"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"}"`,
  "session ses_1a2b3c4d5e6fABCDEFghijkl",
  "request-id: req_01J8ZK3X9Q4W5E6R7T8Y9U0I1O",
  // lockfiles and integrity
  `"integrity": "sha512-${pick(86, 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}=="`,
  `  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#${hex(40, 9)}"`,
  `  checksum: ${hex(128, 10)}`,
  `"node_modules/react": { "version": "18.3.1", "resolved": "https://registry.npmjs.org/react/-/react-18.3.1.tgz" }`,
  `sha256:${hex(64, 11)}`,
  `digest: sha256:${hex(64, 12)}`,
  // versions, paths, colours
  "opencode-ai 1.18.33, bun 1.4.5, node v20.18.0",
  "version = \"2.31.0-rc.1+build.5\"",
  "/home/ada/projects/app/src/components/TokenInput.tsx",
  "C:\\Users\\Ada\\AppData\\Roaming\\npm\\node_modules",
  "color: #3f51b5; background: #ffffffcc; border-color: rgb(12, 34, 56);",
  "--accent: #2f5bd3;",
  // settings that carry a secret-like name but no secret
  "MAX_TOKENS=4096",
  "PRIMARY_KEY=id",
  "SORT_KEY=created_at",
  "TOKEN_LIMIT=128000",
  "password_min_length: 12",
  "PASSWORD_RESET_URL=https://example.com/reset",
  "api_key: ${API_KEY}",
  "password: <your-password-here>",
  "SECRET_NAME=prod/db/credentials",
  "token_type: bearer",
  "secret: changeme",
  "keyboard layout: us-intl",
  "monkey: banana",
  "const tokens = tokenize(source)",
  "if (password.length < 8) throw new Error('too short')",
  "the api key is read from the environment",
  "AUTH_TOKEN_TTL=3600",
  "ACCESS_KEY_ID_HEADER=x-access-key-id",
  // headers without a secret
  "Authorization: Bearer $TOKEN",
  "Authorization: Bearer ${GITHUB_TOKEN}",
  "authorization: Basic <base64>",
  "X-API-Key: <key>",
  "Content-Type: application/json",
  // urls without a password
  "redis://cache.example.com:6379/0",
  "mongodb://db.example.com:27017/app",
  "amqp://mq.example.com:5672",
  "postgres://app@db.internal:5432/prod",
  "https://hooks.slack.com/",
  "curl -s https://example.com/install.sh | sh",
  "curl -u $USER:$PASS https://example.com",
  // code and prose
  "function verifyJwt(token: string) { return jwt.verify(token, secret) }",
  "eyJ is how a base64 JSON object starts",
  "AIza is the prefix of a Google API key",
  "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
  "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ\n-----END CERTIFICATE-----",
  "The build fails because make exits with code 2.",
  "Elapsed: 00:03:21.457, 1,234 files, 98.6% done",
  "[REDACTED:github-token] was already removed",
  "data:image/png;base64,[OMITTED:data-url type=image/png size=70 sha256=abc]",
  // names that hold "password" but are not a password's, and values that are not one
  "password_hash = bcrypt.hashpw(password.encode(), salt)",
  "passwordless: true",
  "Passwordless sign-in sends a magic link.",
  "PASSWORD_MIN_LENGTH=12",
  "password: string;",
  "  password?: string",
  "  password: pw,",
  "openssl enc -aes-256-cbc -pass env:ENC_PASS -in a -out b",
  "password = getpass.getpass()",
  "password = args.password",
  "const password = await prompt(\"Password: \")",
  "if (user.password === hashed) return true",
  `"password": "Password", "confirmPassword": "Confirm password"`,
  "label.password = Mot de passe",
  "DB_PASSWORD=",
  "DB_PASSWORD=$(cat /run/secrets/db_password)",
  `PGPASSWORD="$PGPASSWORD" psql -h db`,
  "password: ********",
  "OLDPWD=/home/ada/src",
  "bypass = true",
  "PASS src/components/Login.test.tsx (5.2 s)",
  "Tests: 12 passed, 12 total",
  "passwd: files systemd",
  "cat /etc/passwd | cut -d: -f1",
  // command lines without a password
  "docker run -p 8080:80 nginx",
  "ssh -p 2222 deploy@10.0.0.5",
  "mysql -u root -p app_db",
  "mysql -h db -P 3306 -p",
  "docker login --password-stdin registry.example.com < token.txt",
  "restic backup --password-file /etc/restic/pw ~/src",
  "openssl enc -aes-256-cbc --pass file:./key.txt -in a -out b",
  "  --password <password>   the password to use",
  "  --password PASSWORD     the password to use",
  "pass --password to the command to set one",
  "mysql -u app --password=$MYSQL_PASSWORD app",
  // escapes without a secret
  "https://example.com/search?q=hello%20world&page=2",
  `{"path":"src\\/app\\/main.ts","note":"caf\\u00e9 \\u0026 more"}`,
  "printf('%20s|%-10s', name, value)",
]
