/**
 * `rtchat room create|allow|deny|list`: private rooms of a server, kept in
 * its store next to the accounts (see admin-store.ts). A private room is
 * seen only by its member accounts; to anyone else it does not exist.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withAdminStoreOptions, type AdminStoreArgs } from './admin-store.js';
import { EXIT_HELP } from './exit-codes.js';

interface RoomArgs extends AdminStoreArgs {
  action: string;
  room?: string | undefined;
  names?: string[] | undefined;
  private: boolean;
  members?: string | undefined;
}

const ACTIONS = ['create', 'allow', 'deny', 'list'] as const;

function splitNames(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const roomAdminCommand: CommandModule<object, RoomArgs> = {
  command: 'room <action> [room] [names..]',
  describe: 'private rooms: create ROOM --private --members a,b; allow ROOM NAME..; deny ROOM NAME..; list',
  builder: (y: Argv) =>
    withAdminStoreOptions(y)
      .positional('action', { type: 'string', choices: ACTIONS, describe: 'what to do' })
      .positional('room', { type: 'string', describe: 'room name' })
      .positional('names', { type: 'string', array: true, describe: 'account names (allow, deny)' })
      .option('private', { type: 'boolean', default: false, describe: 'create: make the room private' })
      .option('members', { type: 'string', describe: 'create: comma-separated member accounts' })
      .example('$0 room create ops --private --members ann,bob', 'only ann and bob see ops')
      .example('$0 room allow ops carl', 'carl joins the members')
      .example('$0 room deny ops bob', 'bob no longer sees ops')
      .epilogue(EXIT_HELP) as unknown as Argv<RoomArgs>,
  handler: async (args: ArgumentsCamelCase<RoomArgs>) => {
    const { CliError, EXIT } = await import('./exit-codes.js');
    const { withIdentityStore } = await import('./admin-store.js');
    const { checkRoom } = await import('./arg-checks.js');
    const { validateAccountName } = await import('../server/identity/account-name.js');
    const { note, flushStdout } = await import('./line-output.js');
    if (args.action !== 'list' && (args.room === undefined || args.room === '')) {
      throw new CliError(`room ${args.action} needs a room name`, EXIT.usage);
    }
    const room = args.action === 'list' ? '' : checkRoom(args.room ?? '');
    const { isDmRoom } = await import('../protocol/dm-room.js');
    // DM rooms belong to their two accounts alone: made by POST /dms, never changed by hand.
    if (isDmRoom(room))
      throw new CliError(`${room}: names starting with dm- are reserved for direct messages`, EXIT.usage);
    const names = splitNames([
      ...(args.names ?? []),
      ...(args.action === 'create' && args.members ? [args.members] : []),
    ]);
    for (const n of names) validateAccountName(n);
    await withIdentityStore(args, async (identity) => {
      const current = room === '' ? undefined : await identity.getRoomAccess(room);
      const warnUnknown = async (): Promise<void> => {
        for (const n of names)
          if ((await identity.getAccount(n)) === undefined) note(`${n} has no account here (fine if a JWT names it)`);
      };
      switch (args.action) {
        case 'create':
          if (!args.private)
            throw new CliError('rooms are created on first use; room create is for --private rooms', EXIT.usage);
          if (current !== undefined)
            throw new CliError(`${room} is private already (room allow/deny change its members)`, EXIT.error);
          await warnUnknown();
          await identity.putRoomAccess({ room, members: names });
          note(`${room} is private: members ${names.length ? names.join(', ') : '(none yet)'}`);
          return;
        case 'allow':
        case 'deny': {
          if (current === undefined)
            throw new CliError(`${room} is not private (room create ${room} --private first)`, EXIT.error);
          if (names.length === 0) throw new CliError(`room ${args.action} needs account names`, EXIT.usage);
          if (args.action === 'allow') await warnUnknown();
          const members =
            args.action === 'allow'
              ? [...current.members, ...names]
              : current.members.filter((m) => !names.includes(m));
          await identity.putRoomAccess({ room, members });
          note(`${room}: members ${members.length ? [...new Set(members)].sort().join(', ') : '(none)'}`);
          return;
        }
        case 'list':
          for (const a of await identity.listRoomAccess()) process.stdout.write(`${a.room}\t${a.members.join(',')}\n`);
          return;
      }
    });
    await flushStdout();
  },
};
