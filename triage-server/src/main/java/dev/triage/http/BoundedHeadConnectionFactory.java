package dev.triage.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connections, with at most {@code maxFields} header fields per request head (431
 * beyond). Jetty limits a head's bytes but not its fields, and a field costs far more heap than its
 * bytes: 8 KB of {@code a:} lines held 168 KB (see {@link ConnectionGuard}).
 *
 * <p>It subclasses Jetty's {@code internal} connection because that is where parsed fields arrive;
 * {@code HeaderLimitsTest} fails if a Jetty upgrade changes that.
 */
final class BoundedHeadConnectionFactory extends HttpConnectionFactory {

    private final int maxFields;

    BoundedHeadConnectionFactory(HttpConfiguration config, int maxFields) {
        super(config);
        this.maxFields = maxFields;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
            @Override
            protected RequestHandler newRequestHandler() {
                return new RequestHandler() {
                    private int fields;

                    @Override
                    public void startRequest(String method, String uri, HttpVersion version) {
                        fields = 0;
                        super.startRequest(method, uri, version);
                    }

                    @Override
                    public void parsedHeader(HttpField field) {
                        count("header fields");
                        super.parsedHeader(field);
                    }

                    @Override
                    public void parsedTrailer(HttpField field) {
                        count("header and trailer fields");
                        super.parsedTrailer(field);
                    }

                    private void count(String what) {
                        if (++fields > maxFields) {
                            throw new HttpException.RuntimeException(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                                    "more than " + maxFields + " " + what);
                        }
                    }
                };
            }
        };
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }
}
