package io.voidrail.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import tools.jackson.core.util.BufferRecycler;

class WireBuffersTests {

    @Test
    void aPlatformThreadKeepsItsOwnBuffersAcrossParsesAndOtherThreadsHaveTheirs() throws Exception {
        // never given back: a shared pool would hand out another one next time, a thread's own pool the same
        BufferRecycler mine = WireBuffers.INSTANCE.acquireAndLinkPooled();
        assertThat(JsonCodec.defaults().read("{\"a\": [1, 2]}".getBytes()).get("a").size()).isEqualTo(2);
        assertThat(JsonCodec.defaults().write(JsonCodec.defaults().object().put("b", "c"))).asString()
                .isEqualTo("{\"b\":\"c\"}");
        assertThat(WireBuffers.INSTANCE.acquireAndLinkPooled()).isSameAs(mine);
        assertThat(WireBuffers.isVirtual(Thread.currentThread())).isFalse();

        AtomicReference<BufferRecycler> other = new AtomicReference<>();
        Thread thread = new Thread(() -> other.set(WireBuffers.INSTANCE.acquireAndLinkPooled()));
        thread.start();
        thread.join(5_000);
        assertThat(other.get()).isNotNull().isNotSameAs(mine);
    }
}
