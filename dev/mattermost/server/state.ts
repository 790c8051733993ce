// The fake server's in-memory world: one team, users with tokens, channels, hooks and posts.
import { newId } from './ids';

export type ChannelType = 'O' | 'P' | 'D';

export interface FakeUser {
  id: string;
  username: string;
  token: string;
  isBot: boolean;
  active: boolean;
  teamIds: Set<string>;
}

export interface FakeTeam {
  id: string;
  name: string;
  displayName: string;
}

export interface FakeChannel {
  id: string;
  teamId: string;
  name: string;
  displayName: string;
  type: ChannelType;
  memberIds: Set<string>;
  deleteAt: number;
  createAt: number;
}

export interface FakeHook {
  id: string;
  channelId: string;
  teamId: string;
  userId: string;
  displayName: string;
  username: string;
  iconUrl: string;
  channelLocked: boolean;
}

export interface FakePost {
  id: string;
  createAt: number;
  updateAt: number;
  deleteAt: number;
  userId: string;
  channelId: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  pendingPostId: string;
  via: 'webhook' | 'api';
  hookId?: string;
}

export class FakeWorld {
  readonly teams = new Map<string, FakeTeam>();
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly hooks = new Map<string, FakeHook>();
  readonly posts: FakePost[] = [];
  private lastMillis = 0;

  /** Strictly increasing milliseconds, so `since` queries are exact. */
  now(): number {
    this.lastMillis = Math.max(Date.now(), this.lastMillis + 1);
    return this.lastMillis;
  }

  addTeam(name: string, displayName = name): FakeTeam {
    const team = { id: newId(), name, displayName };
    this.teams.set(team.id, team);
    return team;
  }

  addUser(username: string, options: { isBot?: boolean; teamIds?: string[] } = {}): FakeUser {
    // 26 characters like a real token; the fake never logs it.
    const user: FakeUser = { id: newId(), username, token: newId(), isBot: options.isBot ?? false, active: true, teamIds: new Set(options.teamIds ?? []) };
    this.users.set(user.id, user);
    return user;
  }

  addChannel(teamId: string, name: string, type: ChannelType, memberIds: string[], displayName?: string): FakeChannel {
    const channel: FakeChannel = {
      id: newId(),
      teamId,
      name,
      displayName: displayName ?? name.replace(/[-_]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
      type,
      memberIds: new Set(memberIds),
      deleteAt: 0,
      createAt: this.now(),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  teamByName(name: string): FakeTeam | undefined {
    return [...this.teams.values()].find((t) => t.name === name);
  }

  userByName(username: string): FakeUser | undefined {
    return [...this.users.values()].find((u) => u.username === username);
  }

  userByToken(token: string): FakeUser | undefined {
    return [...this.users.values()].find((u) => u.token === token);
  }

  /** Exact, case-sensitive name lookup in a team; archived channels only when asked. */
  channelByName(teamId: string, name: string, includeDeleted = false): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.teamId === teamId && c.name === name && c.type !== 'D' && (includeDeleted || c.deleteAt === 0));
  }

  directChannel(userA: FakeUser, userB: FakeUser): FakeChannel {
    const name = [userA.id, userB.id].sort().join('__');
    const existing = [...this.channels.values()].find((c) => c.type === 'D' && c.name === name);
    return existing ?? this.addChannel('', name, 'D', [userA.id, userB.id], name);
  }

  canRead(user: FakeUser, channel: FakeChannel): boolean {
    if (channel.type === 'O') return user.teamIds.has(channel.teamId);
    return channel.memberIds.has(user.id);
  }
}
