package io.camelpgrepl.client;

/**
 * What the server told the client before streaming started.
 *
 * @param systemId         the cluster's system identifier (IDENTIFY_SYSTEM), as text (it is an unsigned 64-bit)
 * @param timeline         the current timeline
 * @param xlogPos          the current WAL flush position when the client connected
 * @param database         the database the connection is bound to
 * @param serverVersionNum e.g. 180001
 * @param serverVersion    the server's version string, e.g. {@code 18.1}
 * @param protoVersion     the pgoutput protocol version the stream uses
 */
public record ServerInfo(String systemId, int timeline, Lsn xlogPos, String database, int serverVersionNum,
                         String serverVersion, int protoVersion) {
}
