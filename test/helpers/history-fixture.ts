/** Shared helpers for the history tests: dated commits by named authors. */
import { TestRepo } from "./git-repo.js";

/** Commits everything staged with a fixed date and author. */
export function commitAs(repo: TestRepo, message: string, date: string, author = "Test Author", email = "author@example.test"): string {
  repo.add();
  repo.gitWith(["commit", "-q", "--allow-empty", "-m", message], {
    env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: email },
  });
  return repo.head();
}

/** A line of config holding `secret`. */
export const line = (name: string, secret: string): string => `const ${name} = "${secret}";\n`;
