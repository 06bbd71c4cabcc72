import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

// A jar run with `java -jar`: on distroless java the image's ENTRYPOINT supplies `java -jar`,
// so the CMD names the jar only. The JRE's trust store must come along (HTTPS clients need it).
public class Main {
    public static void main(String[] args) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        int issuers = 0;
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                issuers += x.getAcceptedIssuers().length;
            }
        }
        if (issuers == 0) {
            System.out.println("no trusted CA certificates: HTTPS would fail");
            System.exit(1);
        }
        System.out.println("Java " + System.getProperty("java.version") + ", " + issuers + " trusted CAs");
        System.out.println("JAVA-DISTROLESS-OK");
    }
}
