package io.camelpgrepl.pgoutput.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeStream;
import io.camelpgrepl.pgoutput.PgOutputDecoder;
import io.camelpgrepl.pgoutput.PgOutputMessage;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.TxInfo;

/**
 * A replication client whose pgoutput messages go through a {@link ChangeStream}, and through a second
 * {@link PgOutputDecoder} for the message-level details a {@link ChangeEvent} does not keep (the old tuple's
 * {@code 'K'}/{@code 'O'} marker).
 */
final class DecodedStream implements AutoCloseable {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    /** One pgoutput message: as the client delivered it, as decoded, and as the change stream made it. */
    record Decoded(ReplicationEvent.WalMessage wal, PgOutputMessage message, ChangeEvent event) {
    }

    final ReplicationClient client;
    final ChangeStream changes;
    private final PgOutputDecoder messages;
    private final List<Decoded> seen = new ArrayList<>();

    private DecodedStream(ReplicationClient client) {
        this.client = client;
        int proto = client.serverInfo().protoVersion();
        this.changes = new ChangeStream(proto, client.config().streaming());
        this.messages = new PgOutputDecoder(proto, client.config().streaming());
    }

    static DecodedStream open(ReplicationConfig config) {
        return new DecodedStream(ReplicationClient.connect(config));
    }

    /** Decodes what {@code client}, already connected, streams; closing this closes it. */
    static DecodedStream of(ReplicationClient client) {
        return new DecodedStream(client);
    }

    /** The next pgoutput message; keepalives are skipped. */
    Decoded next() throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            ReplicationEvent e = left.isNegative() ? null : client.poll(left);
            if (e == null) {
                throw new AssertionError("no pgoutput message within " + EVENT_TIMEOUT + " after " + seen.size()
                        + " messages (stream ended: " + client.isEnded() + ", failure: " + client.failure() + ")");
            }
            if (e instanceof ReplicationEvent.WalMessage wal) {
                Decoded d = new Decoded(wal, messages.decode(wal.data()), changes.accept(wal));
                seen.add(d);
                return d;
            }
        }
    }

    /** Reads messages up to and including the first whose change event matches. */
    List<Decoded> readUntil(Predicate<ChangeEvent> last) throws InterruptedException {
        List<Decoded> out = new ArrayList<>();
        while (true) {
            Decoded d = next();
            out.add(d);
            if (last.test(d.event())) {
                return out;
            }
        }
    }

    /**
     * Reads messages until {@code count} acknowledgement points (commits, prepares...) have arrived. A regular
     * transaction without changes (PostgreSQL 14 sends one for every transaction of the database, DDL included;
     * 15 and later skip them) is read but not counted.
     */
    List<Decoded> readAckPoints(int count) throws InterruptedException {
        List<Decoded> out = new ArrayList<>();
        int acks = 0;
        boolean empty = false;
        while (acks < count) {
            Decoded d = next();
            out.add(d);
            ChangeEvent e = d.event();
            if (e instanceof ChangeEvent.TransactionBegin) {
                empty = true;
            } else if (e instanceof ChangeEvent.TransactionCommit c && c.tx().kind() == TxInfo.Kind.REGULAR) {
                acks += empty ? 0 : 1;
                empty = false;
            } else if (e.ackLsn().isValid()) {
                acks++;
            } else if (!(e instanceof ChangeEvent.RelationChange || e instanceof ChangeEvent.TypeInfo)) {
                empty = false;
            }
        }
        return out;
    }

    static List<ChangeEvent> events(List<Decoded> decoded) {
        return decoded.stream().map(Decoded::event).toList();
    }

    /**
     * The events in one line for assertion messages: pgoutput letters with the xid, repeats counted, e.g.
     * {@code S801 I801x300 E A801/801 B805 I805 C805}.
     */
    static String summary(List<Decoded> decoded) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        int repeats = 0;
        for (Decoded d : decoded) {
            String token = token(d.event());
            if (token.equals(previous)) {
                repeats++;
                continue;
            }
            appendToken(sb, previous, repeats);
            previous = token;
            repeats = 1;
        }
        appendToken(sb, previous, repeats);
        return sb.toString();
    }

    private static void appendToken(StringBuilder sb, String token, int repeats) {
        if (token != null) {
            sb.append(sb.length() == 0 ? "" : " ").append(token).append(repeats > 1 ? "x" + repeats : "");
        }
    }

    private static String token(ChangeEvent e) {
        String xid = e.tx() == null ? "" : Long.toString(e.tx().xidUnsigned());
        if (e instanceof RowChange r) {
            return r.operation().name().charAt(0) + Long.toString(r.xid() & 0xFFFF_FFFFL);
        }
        if (e instanceof ChangeEvent.StreamAborted a) {
            return "A" + xid + "/" + (a.subxid() & 0xFFFF_FFFFL);
        }
        if (e instanceof ChangeEvent.TransactionCommit c) {
            return (c.tx().kind() == TxInfo.Kind.STREAMED ? "c" : "C") + xid;
        }
        if (e instanceof ChangeEvent.TransactionPrepared p) {
            return (p.streamed() ? "p" : "P") + xid;
        }
        String letter = e instanceof ChangeEvent.TransactionBegin ? "B"
                : e instanceof ChangeEvent.StreamBlockStart ? "S"
                : e instanceof ChangeEvent.StreamBlockStop ? "E"
                : e instanceof ChangeEvent.RelationChange ? "R"
                : e instanceof ChangeEvent.TypeInfo ? "Y"
                : e instanceof ChangeEvent.OriginInfo ? "O"
                : e instanceof ChangeEvent.TruncateChange ? "T"
                : e instanceof ChangeEvent.LogicalMessage ? "M"
                : e instanceof ChangeEvent.PrepareBegin ? "b"
                : e instanceof ChangeEvent.PreparedCommitted ? "K"
                : e instanceof ChangeEvent.PreparedRolledBack ? "r" : "?";
        return letter + (letter.equals("E") || letter.equals("R") ? "" : xid);
    }

    @Override
    public void close() {
        client.close();
    }
}
