/* tls_front.h - a TLS front for the loopback fakes: accepts TLS on 127.0.0.1 (ephemeral
 * port) with the given certificate and relays the plain bytes to a backend port on
 * 127.0.0.1 (e.g. fake_ws), so wss:// can be tested against the same scripted server. It runs
 * on its own thread with blocking OpenSSL calls, one connection at a time, which is all the
 * tests need. */
#ifndef LEANON_TLS_FRONT_H
#define LEANON_TLS_FRONT_H

typedef struct tls_front tls_front;

tls_front *tls_front_start(const char *cert_file, const char *key_file, int backend_port);
int tls_front_port(const tls_front *front);
/* TLS handshakes that completed (the client accepted the certificate) / that failed. */
int tls_front_handshakes(const tls_front *front);
int tls_front_refusals(const tls_front *front);
void tls_front_stop(tls_front *front);

#endif
