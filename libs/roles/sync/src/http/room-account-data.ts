// The port through which m.fully_read markers reach room account data. CS-accounts owns
// account data (table and stream); the runtime plugs their writer in here.

export interface RoomAccountData {
  set(userId: string, roomId: string, type: string, content: Record<string, unknown>): Promise<void>;
}
