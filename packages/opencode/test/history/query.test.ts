import { Database } from "bun:sqlite"
import { describe, expect, test } from "bun:test"
import { parseQuery } from "../../src/history/query.ts"
import { splitArgv } from "../../src/cli/search.ts"

const match = (q: string) => {
  const parsed = parseQuery(q)
  if ("problem" in parsed) throw new Error(parsed.problem)
  return parsed.match
}
const problem = (q: string) => {
  const parsed = parseQuery(q)
  return "problem" in parsed ? parsed.problem : undefined
}

describe("the query language", () => {
  test("words, phrases, prefixes and left-out words become one FTS5 expression", () => {
    expect(match("deploy key")).toBe('"deploy" AND "key"')
    expect(match('"connection refused" retry')).toBe('"connection refused" AND "retry"')
    expect(match("migrat*")).toBe('"migrat" *')
    expect(match("deploy -staging -\"dry run\"")).toBe('("deploy") NOT ("staging" OR "dry run")')
  })

  test("FTS5's own syntax typed by a user is searched as words", () => {
    expect(match("a OR b NEAR(c) text:d ^e")).toBe('"a" AND "OR" AND "b" AND "NEAR(c)" AND "text:d" AND "^e"')
  })

  test("what cannot be read says why", () => {
    expect(problem("")).toBe("the query is empty")
    expect(problem("-secret")).toContain("only leaves words out")
    expect(problem('"unclosed phrase')).toContain("is not closed")
    expect(problem("*")).toContain("nothing to complete")
    expect(problem("a--- b")).toBeUndefined()
    expect(problem("-- ---")).toContain("no letter or digit")
    expect(problem('ab"c')).toContain("quote inside a word")
  })

  // Every expression the parser gives, FTS5 accepts (the control: a raw user string it rejects).
  test("FTS5 accepts every expression the parser makes", () => {
    const db = new Database(":memory:")
    db.exec("create virtual table t using fts5(text)")
    db.exec("insert into t (text) values ('deploy the key, not staging')")
    const run = (expression: string) => db.query("select count(*) as n from t where t match ?").get(expression)
    expect(() => run('a" OR (b')).toThrow()
    for (const q of ['a" OR (b', 'x "a b" -c* d*', "NOT AND OR", "(((", "ünïcödé -naïve", "key -\"\"\"x\"", "*a*"]) {
      const parsed = parseQuery(q)
      if ("problem" in parsed) continue
      expect(() => run(parsed.match)).not.toThrow()
    }
    expect(run(match("deploy key -staging"))).toEqual({ n: 0 })
    expect(run(match("deplo* key"))).toEqual({ n: 1 })
  })
})

describe("the command line", () => {
  test("only the search's own options are options: -word is a word of the query", () => {
    expect(splitArgv(["deploy", "-staging", "--role", "tool", "--json", "--limit=5", "key"])).toEqual({
      options: ["--role", "tool", "--json", "--limit=5"],
      words: ["deploy", "-staging", "key"],
    })
    expect(splitArgv(["--", "--json", "x"])).toEqual({ options: [], words: ["--json", "x"] })
  })
})
