/**
 * The pull page elements (`{"seq":…,"receivedAt":"…","event":…}`) of each team's recent events,
 * as the database wrote them, kept by one server instance so the next pull of the same events
 * does not have the database write them again. Every rep's sync round pulls the decisions of the
 * last interval, so with 500 reps each recent event is written into about 500 pages, and turning
 * a stored `jsonb` body into text is most of a pull's cost in the database.
 *
 * What is kept stays true: a team's event at a seq never changes within one epoch of the database
 * (events are only appended; a restore is given a new epoch, see `newEpoch`), and texts are kept
 * per epoch. A team whose last seq is below a kept one was restored without a new epoch: its
 * texts are not reused, and are dropped (the check `cursorValid` makes of a cursor). Only a team's newest events are kept (`RECENT_EVENTS` below its last seq: what reps
 * pull every round; a history pull does not push them out), and only the most recently pulled
 * teams within `MAX_KEPT` elements in all.
 */

/** How far below a team's last seq an element is kept. */
export const RECENT_EVENTS = 2_000;
/** Elements kept for all teams together (about 0.5 KB each), least recently pulled teams dropped first. */
const MAX_KEPT = 20_000;

interface TeamTexts {
  epoch: string;
  /** The highest seq ever kept for the team in this epoch. */
  highest: number;
  bySeq: Map<number, string>;
}

/** What a pull may reuse: the kept elements in its window, as runs of seqs for the query and by seq for the page. */
export interface KeptWindow {
  /** The epoch the elements belong to; null when none are kept. */
  epoch: string | null;
  /** Reuse them only while the team's last seq is at least this (see above). */
  highest: number;
  /** Runs of kept seqs, `[from, to]` inclusive, ascending. */
  runs: Array<[number, number]>;
  texts: ReadonlyMap<number, string>;
}

export interface PulledEventTexts {
  /** The elements kept for `teamId` with seqs in (`after`, `upTo`]. */
  window(teamId: string, after: number, upTo: number): KeptWindow;
  /** Keeps elements the database wrote for `teamId` in `epoch`, whose last seq is `lastSeq`. */
  keep(teamId: string, epoch: string, lastSeq: number, elements: ReadonlyArray<readonly [number, string]>): void;
}

/** A store for one server instance (`createApp` makes one). */
export function createPulledEventTexts(): PulledEventTexts {
  const teams = new Map<string, TeamTexts>();
  let kept = 0;
  const drop = (teamId: string) => {
    kept -= teams.get(teamId)?.bySeq.size ?? 0;
    teams.delete(teamId);
  };
  return {
    window(teamId, after, upTo) {
      const team = teams.get(teamId);
      if (!team) return { epoch: null, highest: 0, runs: [], texts: new Map() };
      const runs: Array<[number, number]> = [];
      const texts = new Map<number, string>();
      for (let seq = after + 1; seq <= upTo; seq++) {
        const text = team.bySeq.get(seq);
        if (text === undefined) continue;
        texts.set(seq, text);
        const last = runs[runs.length - 1];
        if (last && last[1] === seq - 1) last[1] = seq;
        else runs.push([seq, seq]);
      }
      return { epoch: team.epoch, highest: team.highest, runs, texts };
    },
    keep(teamId, epoch, lastSeq, elements) {
      let team = teams.get(teamId);
      if (team && (team.epoch !== epoch || lastSeq < team.highest)) {
        drop(teamId);
        team = undefined;
      }
      if (!team) team = { epoch, highest: 0, bySeq: new Map() };
      // most recently pulled last: the first team in the map is the one to drop
      teams.delete(teamId);
      teams.set(teamId, team);
      const floor = lastSeq - RECENT_EVENTS;
      for (const [seq, text] of elements) {
        if (seq <= floor || team.bySeq.has(seq)) continue;
        team.bySeq.set(seq, text);
        team.highest = Math.max(team.highest, seq);
        kept++;
      }
      if (team.bySeq.size > RECENT_EVENTS) {
        for (const seq of team.bySeq.keys()) {
          if (seq > floor) continue;
          team.bySeq.delete(seq);
          kept--;
        }
      }
      for (const oldest of teams.keys()) {
        if (kept <= MAX_KEPT || oldest === teamId) break;
        drop(oldest);
      }
    },
  };
}
