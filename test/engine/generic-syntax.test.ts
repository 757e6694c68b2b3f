/**
 * Generic depth (issue #12, item 3): a credential assigned to a
 * credential-named key is found in every common syntax, and the everyday
 * non-secrets of the same syntax are not. One table, syntax × language; the
 * values are built at run time.
 */
import { describe, expect, it } from "vitest";
import { compileRuleSet, DEFAULT_DECODERS, scanFragment } from "../../src/engine/index.js";
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { bytes, fakePassword, randomOf } from "../helpers/engine.js";

const rs = compileRuleSet(readRuleFiles());
const scan = (text: string, path: string, minConfidence?: "low") =>
  scanFragment(rs, { text, path }, { decoders: DEFAULT_DECODERS, ...(minConfidence ? { minConfidence } : {}) }).findings;

const HEX = "0123456789abcdef";
const pw = fakePassword("syntax", 18);
const hex40 = randomOf(HEX, "syntax-hex40", 40);
const uuid = [8, 4, 4, 4, 12].map((n, i) => randomOf(HEX, `syntax-uuid${i}`, n)).join("-");
const weak = ["Sum", "mer", "2024", "!"].join("");

/** [syntax, path, text, the secret it holds] */
const positives: Array<[string, string, string, string]> = [
  ["JSON", "config/app.json", `{\n  "db": {\n    "password": "${pw}"\n  }\n}\n`, pw],
  ["YAML", "config/app.yml", `db:\n  password: ${pw}\n`, pw],
  ["YAML, quoted key", "config/app.yml", `"password": ${pw}\n`, pw],
  ["TOML", "config.toml", `[db]\npassword = "${pw}"\n`, pw],
  ["INI", "settings.ini", `[db]\npassword = ${pw}\n`, pw],
  [".properties", "app.properties", `db.password=${pw}\n`, pw],
  ["XML attribute", "conf/context.xml", `<Resource name="jdbc/app" username="app" password="${pw}" />\n`, pw],
  ["XML element", "conf/app.xml", `<db><password>${pw}</password></db>\n`, pw],
  ["XML element with attributes", "conf/app.xml", `<password encrypted="false">${pw}</password>\n`, pw],
  ["Spring XML property", "src/main/resources/beans.xml", `<property name="password" value="${pw}"/>\n`, pw],
  ["Java properties XML", "conf/mail.xml", `<entry key="mail.smtp.password">${pw}</entry>\n`, pw],
  [".NET settings", "App.config", `<setting name="ApiKey" serializeAs="String">\n  <value>${pw}</value>\n</setting>\n`, pw],
  ["shell export", "deploy.sh", `export DB_PASSWORD=${pw}\n`, pw],
  ["shell, quoted", "scripts/run.sh", `DB_PASSWORD='${pw}'\n`, pw],
  ["HCL resource", "main.tf", `resource "aws_db_instance" "db" {\n  username = "admin"\n  password = "${pw}"\n}\n`, pw],
  ["HCL variable default", "variables.tf", `variable "db_password" {\n  type    = string\n  default = "${pw}"\n}\n`, pw],
  ["Dockerfile ENV KEY=value", "Dockerfile", `FROM node:20\nENV DB_PASSWORD=${pw}\n`, pw],
  ["Dockerfile ENV KEY value", "Dockerfile", `FROM node:20\nENV DB_PASSWORD ${pw}\n`, pw],
  ["Dockerfile ARG", "docker/api.Dockerfile", `ARG NPM_TOKEN=${pw}\n`, pw],
  ["Dockerfile ENV, several pairs", "Dockerfile.prod", `ENV NODE_ENV=production SMTP_PASSWORD=${pw} PORT=8080\n`, pw],
  ["compose environment list", "docker-compose.yml", `services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=${pw}\n`, pw],
  ["compose environment map", "docker-compose.yml", `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${pw}\n`, pw],
  ["Kubernetes env name/value", "k8s/deployment.yaml", `        env:\n        - name: DB_PASSWORD\n          value: "${pw}"\n`, pw],
  ["ECS name/value", "ecs/task.json", `"environment": [{ "name": "API_TOKEN", "value": "${pw}" }]\n`, pw],
  ["C# var", "src/Db.cs", `var password = "${pw}";\n`, pw],
  ["C# initialiser", "src/Db.cs", `var c = new Credentials {\n    UserName = "app",\n    Password = "${pw}",\n};\n`, pw],
  ["C# const", "src/Keys.cs", `private const string ApiKey = "${pw}";\n`, pw],
  ["C# auto-property", "src/Options.cs", `public string ApiKey { get; set; } = "${pw}";\n`, pw],
  ["C# NetworkCredential", "src/Mail.cs", `var cred = new NetworkCredential("svc-mail", "${pw}");\n`, pw],
  ["Java String", "src/Main.java", `String password = "${pw}";\n`, pw],
  ["Java static final", "src/Main.java", `private static final String API_KEY = "${pw}";\n`, pw],
  ["Java setter", "src/Main.java", `dataSource.setPassword("${pw}");\n`, pw],
  ["Java builder", "src/Main.java", `Client c = Client.builder().apiKey("${pw}").build();\n`, pw],
  ["Go :=", "main.go", `password := "${pw}"\n`, pw],
  ["Go const", "main.go", `const apiKey = "${pw}"\n`, pw],
  ["Go typed var", "main.go", `var apiKey string = "${pw}"\n`, pw],
  ["Go struct literal", "main.go", `cfg := Config{\n\tPassword: "${pw}",\n}\n`, pw],
  ["Ruby keyword argument", "config.rb", `client = Client.new(password: "${pw}")\n`, pw],
  ["Ruby hash rocket", "config.rb", `opts = { :password => "${pw}" }\n`, pw],
  ["Ruby ENV ||=", "config/boot.rb", `ENV['DB_PASSWORD'] ||= "${pw}"\n`, pw],
  ["PHP variable", "config.php", `$password = '${pw}';\n`, pw],
  ["PHP array", "config/database.php", `'password' => '${pw}',\n`, pw],
  ["PHP define", "includes/db.php", `define('DB_PASSWORD', '${pw}');\n`, pw],
  ["Python keyword argument", "app.py", `conn = psycopg2.connect(host="db", password="${pw}")\n`, pw],
  ["Python requests auth", "app.py", `r = requests.get(url, auth=("deploy", "${pw}"))\n`, pw],
  ["JS object", "src/db.js", `const db = { user: "app", password: "${pw}" };\n`, pw],
  ["TS typed const", "src/keys.ts", `export const apiKey: string = "${pw}";\n`, pw],
  ["Kotlin typed val", "src/Keys.kt", `val password: String = "${pw}"\n`, pw],
  ["Rust const", "src/main.rs", `const API_KEY: &str = "${pw}";\n`, pw],
  ["YAML value before a comment", "config/app.yml", `db:\n  password: ${pw.replace("#", "")}   # rotate yearly\n`, pw.replace("#", "")],
  ["PowerShell ConvertTo-SecureString", "deploy.ps1", `$pw = ConvertTo-SecureString "${pw}" -AsPlainText -Force\n`, pw],
  ["sshpass in a script", "scripts/restart.sh", `sshpass -p '${pw}' ssh ops@10.0.4.7 'systemctl restart app'\n`, pw],
  ["hex under api_key", "conf/agent.yaml", `api_key: ${hex40}\n`, hex40],
  ["UUID under token", "src/client.py", `token = "${uuid}"\n`, uuid],
  ["weak password in .env ending in $", ".env", `DB_PASSWORD=${weak.replace("!", "$")}\n`, weak.replace("!", "$")],
  ["weak password in settings.py", "mysite/settings.py", `EMAIL_HOST_PASSWORD = "${weak}"\n`, weak],
  ["weak password in a Dockerfile", "Dockerfile", `ENV MYSQL_ROOT_PASSWORD=${weak}\n`, weak],
  ["policy-shaped dictionary password", "k8s/secret.yaml", `stringData:\n  DB_PASSWORD: ${["Pass", "word", "2019!"].join("")}\n`, ["Pass", "word", "2019!"].join("")],
];

describe("generic depth: every syntax reports a credential under a credential-named key", () => {
  for (const [syntax, path, text, secret] of positives) {
    it(`${syntax} (${path})`, () => {
      const found = scan(text, path);
      expect(found.map((f) => f.secret)).toContain(secret);
      // No audit reason: reported by the default scan.
      expect(found.find((f) => f.secret === secret)!.auditReason).toBeUndefined();
    });
  }
});

/** [syntax, path, text]: nothing at default confidence. */
const negatives: Array<[string, string, string]> = [
  ["Python getenv", "app.py", `password = os.getenv("DB_PASSWORD")\n`],
  ["JS process.env", "src/db.js", `password: process.env.DB_PASSWORD,\n`],
  ["compose interpolation", "docker-compose.yml", "    environment:\n      - DB_PASSWORD=${DB_PASSWORD}\n"],
  ["placeholder word", ".env", `DB_PASSWORD=changeme\n`],
  ["angle placeholder", "config.yml", `password: <password>\n`],
  ["x placeholder", "config.yml", `password: xxxxxxxxxx\n`],
  ["template default", ".env", `DB_PASSWORD=password123\n`],
  ["TS type annotation", "src/types.ts", `  password: string;\n  apiKey?: string | undefined;\n`],
  ["TS typed from config", "src/keys.ts", `const apiKey: string = config.get("apiKey");\n`],
  ["Go struct field", "main.go", "\tPassword string `json:\"password\"`\n"],
  ["function parameters", "src/a.py", `def login(user, password="", token=None):\n`],
  ["empty string", "config.yml", `password: ""\n`],
  ["UI label", "src/form.tsx", `const labels = { password: "Password", apiKey: "API key" };\n`],
  ["i18n JSON", "locales/fr.json", `{ "password": "Mot de passe", "password_confirm": "Confirmez le mot de passe" }\n`],
  ["i18n YAML", "config/locales/de.yml", `de:\n  password: Passwort\n`],
  ["Dockerfile build argument", "Dockerfile", "ARG DB_PASSWORD\nENV DB_PASSWORD=${DB_PASSWORD}\n"],
  ["Dockerfile secret file", "Dockerfile", `ENV DB_PASSWORD_FILE=/run/secrets/db_password\n`],
  ["HCL variable reference", "main.tf", `  password = var.db_password\n`],
  ["HCL variable without default", "variables.tf", `variable "db_password" {\n  type      = string\n  sensitive = true\n}\n`],
  ["setter with a variable", "src/Main.java", `ds.setPassword(System.getenv("DB_PASSWORD"));\n`],
  ["setter with an empty string", "src/Main.java", `ds.setPassword("");\n`],
  ["C# configuration lookup", "src/Db.cs", `var password = Configuration["Db:Password"];\n`],
  ["PHP env() without default", "config/database.php", `'password' => env('DB_PASSWORD', ''),\n`],
  ["Ruby ENV.fetch", "config.rb", `password: ENV.fetch("DB_PASSWORD"),\n`],
  ["Kubernetes secretKeyRef", "k8s/deployment.yaml", `        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n`],
  ["hex under a commit key", "conf/app.yaml", `commit_token: ${hex40}\n`],
  ["UUID under an id key", "src/client.py", `token_id = "${uuid}"\n`],
  ["weak password in application code", "src/login.js", `const password = "${weak}";\n`],
  ["PowerShell SecureString from the environment", "deploy.ps1", `$pw = ConvertTo-SecureString $env:DEPLOY_PASSWORD -AsPlainText -Force\n`],
  ["sshpass from the environment", "deploy.sh", `sshpass -p "$SSH_PASS" ssh ops@host\n`],
  ["basic auth with variables", "app.py", `r = requests.get(url, auth=(user, os.environ["PASSWORD"]))\n`],
];

describe("generic depth: the same syntaxes' non-secrets stay quiet", () => {
  for (const [syntax, path, text] of negatives) {
    it(`${syntax} (${path})`, () => {
      expect(scan(text, path).map((f) => `${f.ruleId}: ${f.secret}`)).toEqual([]);
    });
  }
});

describe("weakness lowers confidence instead of dropping the finding", () => {
  it("a weak password in code that is configuration is reported at low confidence, tagged weak-password", () => {
    for (const [path, text] of [
      ["mysite/settings.py", `EMAIL_HOST_PASSWORD = "${weak}"\n`],
      ["variables.tf", `variable "db_password" {\n  default = "${weak}"\n}\n`],
      ["Dockerfile", `ENV DB_PASSWORD ${weak}\n`],
    ]) {
      const [f, ...rest] = scan(text!, path!);
      expect(rest, path).toEqual([]);
      expect(f, path).toMatchObject({ secret: weak, confidence: "low" });
      expect(f!.tags, path).toContain("weak-password");
    }
  });
  it("in application code it is an audit finding only", () => {
    expect(scan(`const password = "${weak}";\n`, "src/login.js")).toEqual([]);
    const [f] = scan(`const password = "${weak}";\n`, "src/login.js", "low");
    expect(f).toMatchObject({ secret: weak, confidence: "low", auditReason: "placeholder: word plus number" });
  });
});

describe("Laravel and DATABASE_URL in .env", () => {
  const appKey = bytes("laravel", 32).toString("base64");
  it("APP_KEY=base64:… is a Laravel encryption key", () => {
    const text = `APP_NAME=Acme\nAPP_ENV=production\nAPP_KEY=base64:${appKey}\nDB_CONNECTION=mysql\n`;
    expect(scan(text, ".env").map((f) => [f.ruleId, f.secret, f.confidence])).toEqual([["laravel-app-key", appKey, "high"]]);
    expect(scan(`    'key' => env('APP_KEY', 'base64:${appKey}'),\n`, "config/app.php").map((f) => f.ruleId)).toEqual(["laravel-app-key"]);
    expect(scan(`APP_KEY=\n`, ".env.example")).toEqual([]);
  });
  it("DATABASE_URL's password is found by the connection-string rule", () => {
    const p = pw.replace("#", "");
    const f = scan(`DATABASE_URL=postgres://app:${p}@db.internal:5432/app\n`, ".env");
    expect(f.map((x) => [x.ruleId, x.secret])).toEqual([["connection-string-password", p]]);
    expect(scan("DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app\n", ".env")).toEqual([]);
  });
});
