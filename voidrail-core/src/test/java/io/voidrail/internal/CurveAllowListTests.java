package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;

/** The allow-list's directory is looked at once a period, re-read only when it changed (fake clock). */
class CurveAllowListTests {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void certificatesAddedOrRemovedCountFromTheNextCheck() throws Exception {
        CurveKeys.Pair router = CurveKeys.generate();
        CurveKeys.Pair first = CurveKeys.generate();
        CurveKeys.Pair second = CurveKeys.generate();
        String inline = CurveKeys.generate().publicKey();
        CurveKeys.save(first, dir, "first");
        Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        Files.writeString(dir.resolve("broken.key"), "curve\n    public-key = \"nope\"\n");
        CurveServerConfig config = CurveServerConfig.of(router).withAllowList(dir).withAllowedKeys(inline)
                .withReloadPeriod(Duration.ofSeconds(5));
        long now = 1_000 * SECOND;

        CurveAllowList list = new CurveAllowList(config, LoggerFactory.getLogger(getClass()), now);
        assertThat(list.admits(first.publicKey())).isTrue();
        assertThat(list.admits(inline)).isTrue();
        assertThat(list.admits(router.publicKey())).isTrue(); // its own key, for peers sharing the router's pair
        assertThat(list.admits(first.secretKey())).isFalse();
        assertThat(list.size()).isEqualTo(3);

        CurveKeys.save(second, dir, "second");
        Files.delete(dir.resolve("first.key"));
        list.refreshIfDue(now + 4 * SECOND);
        assertThat(list.admits(second.publicKey())).isFalse(); // not looked at before the period is over
        assertThat(list.admits(first.publicKey())).isTrue();
        list.refreshIfDue(now + 5 * SECOND);
        assertThat(list.admits(second.publicKey())).isTrue();
        assertThat(list.admits(first.publicKey())).isFalse(); // first.key_secret alone admits nobody
        assertThat(list.nextCheckNanos()).isEqualTo(now + 10 * SECOND);
    }

    @Test
    void aMissingDirectoryAdmitsTheConfiguredKeysUntilItAppears() {
        CurveKeys.Pair router = CurveKeys.generate();
        CurveKeys.Pair later = CurveKeys.generate();
        Path missing = dir.resolve("not-yet");
        CurveAllowList list = new CurveAllowList(CurveServerConfig.of(router).withAllowList(missing),
                LoggerFactory.getLogger(getClass()), 0);
        assertThat(list.size()).isEqualTo(1);
        CurveKeys.save(later, missing, "later");
        list.refreshIfDue(CurveServerConfig.DEFAULT_RELOAD_PERIOD.toNanos());
        assertThat(list.admits(later.publicKey())).isTrue();
    }

    @Test
    void aRepeatedWarningIsLoggedOnceAMinuteWithTheCountLeftOut() {
        LogThrottle throttle = new LogThrottle(60 * SECOND);
        assertThat(throttle.admit("key:a", 0)).isZero();
        assertThat(throttle.admit("key:b", SECOND)).isZero();
        for (int i = 1; i <= 5; i++) {
            assertThat(throttle.admit("key:a", i * SECOND)).isEqualTo(-1);
        }
        assertThat(throttle.admit("key:a", 60 * SECOND)).isEqualTo(5);
        assertThat(throttle.admit("key:a", 61 * SECOND)).isEqualTo(-1);
        assertThat(throttle.admit("key:a", 120 * SECOND)).isEqualTo(1);
    }

    @Test
    void theListThatAdmitsAKeyGivesItsRoleAndTwoListsGiveBoth() throws Exception {
        CurveKeys.Pair router = CurveKeys.generate();
        CurveKeys.Pair worker = CurveKeys.generate();
        CurveKeys.Pair web = CurveKeys.generate();
        CurveKeys.Pair both = CurveKeys.generate();
        CurveKeys.Pair anyRole = CurveKeys.generate();
        Path dealers = dir.resolve("dealers");
        Path clients = dir.resolve("clients");
        Path any = dir.resolve("any");
        CurveKeys.save(worker, dealers, "worker");
        CurveKeys.save(both, dealers, "both");
        CurveKeys.save(web, clients, "web");
        CurveKeys.save(both, clients, "both");
        CurveKeys.save(anyRole, any, "any");
        CurveKeys.save(anyRole, dealers, "any");
        CurveServerConfig config = CurveServerConfig.of(router).withAllowList(any).withDealerAllowList(dealers)
                .withClientAllowList(clients);
        CurveAllowList list = new CurveAllowList(config, LoggerFactory.getLogger(getClass()), 0);

        assertThat(list.roleOf(worker.publicKey())).isEqualTo(CurveRole.DEALER);
        assertThat(list.roleOf(web.publicKey())).isEqualTo(CurveRole.CLIENT);
        assertThat(list.roleOf(both.publicKey())).isEqualTo(CurveRole.ANY);
        assertThat(list.roleOf(anyRole.publicKey())).isEqualTo(CurveRole.ANY);
        assertThat(list.roleOf(router.publicKey())).isEqualTo(CurveRole.ANY);
        assertThat(list.roleOf(CurveKeys.generate().publicKey())).isNull();

        // reloadable like the any-role list: the web key moves to the dealers
        Files.move(clients.resolve("web.key"), dealers.resolve("web.key"));
        list.refreshIfDue(CurveServerConfig.DEFAULT_RELOAD_PERIOD.toNanos());
        assertThat(list.roleOf(web.publicKey())).isEqualTo(CurveRole.DEALER);
    }

    @Test
    void theUserIdCarriesTheKeyAndItsRole() {
        String key = CurveKeys.generate().publicKey();
        for (CurveRole role : CurveRole.values()) {
            String userId = role.userId(key);
            assertThat(CurveRole.of(userId)).isEqualTo(role);
            assertThat(CurveRole.key(userId)).isEqualTo(key);
        }
        assertThat(CurveRole.DEALER.userId(key)).isEqualTo("dealer:" + key);
        assertThat(CurveRole.of(null)).isNull();
    }
}
