/**
 * lint's globs: `*` and `?` within a name, `[abc]`, `[a-z]` and `[!abc]` for one
 * character of a name (never `/`; a `]` first in the class is itself), `**` for
 * any number of directories. They are matched against paths with `/`, below the
 * glob's literal directory prefix.
 */

/** Whether a path argument is a glob. */
export function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** One element of a glob as regular expression source: a character, `?`, `*`, `[...]`, or `**` (any depth). */
interface Piece {
  readonly source: string;
  /** `**`: matches across `/`, so from here on a path may go to any depth. */
  readonly anyDepth: boolean;
}

function globPieces(glob: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      pieces.push({ source: glob[i + 2] === '/' ? '(?:.*/)?' : '.*', anyDepth: true });
      i += glob[i + 2] === '/' ? 2 : 1;
      continue;
    }
    let source: string;
    if (c === '*') source = '[^/]*';
    else if (c === '?') source = '[^/]';
    else if (c === '[') {
      // A `]` first in a class (after a `!`) is itself, as in POSIX: `[]]`, `[!]]`. A `[` that closes no class is itself.
      const first = glob[i + 1] === '!' ? i + 2 : i + 1;
      const end = glob.indexOf(']', glob[first] === ']' ? first + 1 : first);
      if (end === -1) source = '\\[';
      else {
        // A class stands for one character of a name, as `?` does: never `/`, even negated or as a range across it.
        source = `(?!/)[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&')}]`;
        i = end;
      }
    } else source = c.replace(/[.+^${}()|\\]/g, '\\$&');
    pieces.push({ source, anyDepth: false });
  }
  return pieces;
}

/** The paths a glob matches. Throws a SyntaxError for a range out of order (`[z-a]`). */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globPieces(glob).map((p) => p.source).join('')}$`);
}

/**
 * The directories a walk for `glob` must enter: a regular expression that matches
 * a directory's path followed by `/` when that is the start of some path the glob
 * matches, so a file the glob matches can lie below it. Without `**` that bounds
 * the depth and each name (`site-?/DB_CONFIG` enters `site-1/` but not `site-1/x/`); from a `**`
 * on, every directory. Throws as globToRegExp does.
 */
export function globDirectories(glob: string): RegExp {
  // The starts of a sequence a b c ... are '', a, a b, a b c ...: a(?:b(?:c)?)?, optional as a whole.
  // That holds for `*` too (its starts are its matches); after a `**`, a start may be anything.
  let starts = '';
  for (const piece of globPieces(glob).reverse()) {
    starts = piece.anyDepth ? '[\\s\\S]*' : starts === '' ? piece.source : `${piece.source}(?:${starts})?`;
  }
  return new RegExp(`^(?:${starts})?$`);
}
