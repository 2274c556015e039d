package io.camelpgrepl.client;

/**
 * TLS could not be set up as configured: the server refused TLS where it is required, the certificate chain
 * or host name did not verify, or a certificate/key file could not be read. Permanent. Messages never
 * contain key material or key passwords.
 */
public final class TlsException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message, null, false);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
