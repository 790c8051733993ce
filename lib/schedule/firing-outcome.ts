// Will this firing of the digest schedule post, or end as `skipped` because an earlier firing
// already posted its local date? Used to show only the runs that will post (the catch-up entry
// fires every day but posts only on a day whose HH:MM did not exist). It assumes every earlier
// firing happened: right after the schedule is created, a catch-up firing may still post.
import { catchUpTime } from './digest-schedule-spec';
import { minutesOfDay } from './hhmm';
import { digestDateFor } from './digest-run-identity';
import { addDays } from './local-date';
import { localTimeToInstant, wallTimeInstants } from './local-time-to-instant';

export function firingPosts(at: Date, scheduleTime: string, timezone: string): boolean {
  const date = digestDateFor(at, scheduleTime, timezone);
  const intended = localTimeToInstant(date, scheduleTime, timezone);
  if (at.getTime() === intended.getTime()) return true;
  // HH:MM existed that day: its first occurrence (= intended) posted and later ones skip.
  if (wallTimeInstants(date, scheduleTime, timezone).length > 0) return false;
  // HH:MM fell in a gap: the first catch-up firing posts.
  const catchUp = catchUpTime({ scheduleTime, timezone });
  const catchUpDate = minutesOfDay(catchUp) < minutesOfDay(scheduleTime) ? addDays(date, 1) : date;
  const first = wallTimeInstants(catchUpDate, catchUp, timezone)[0];
  return first !== undefined && first.getTime() === at.getTime();
}
