// @ts-check
// One page's polling: `schedule()` (called at the end of each refresh, a poll's or one after an
// action) runs `tick` again after `intervalMs()` — fast while something is in progress, slowly
// otherwise — so a click's result is followed at once. A hidden tab waits instead of polling; a
// failed tick schedules the next one (the tick shows its own error).
/** @param {() => Promise<unknown>} tick @param {() => number} intervalMs */
export function poller(tick, intervalMs) {
  let timer = null;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (document.hidden) return schedule();
      await tick().catch(() => schedule());
    }, intervalMs());
  };
  return { schedule };
}
