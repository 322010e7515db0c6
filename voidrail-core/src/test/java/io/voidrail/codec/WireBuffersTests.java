package io.voidrail.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import tools.jackson.core.util.BufferRecycler;

class WireBuffersTests {

    @Test
    void aPlatformThreadKeepsItsOwnBuffersAcrossParsesAndOtherThreadsHaveTheirs() throws Exception {
        BufferRecycler mine = WireBuffers.INSTANCE.acquireAndLinkPooled();
        mine.releaseToPool();
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
