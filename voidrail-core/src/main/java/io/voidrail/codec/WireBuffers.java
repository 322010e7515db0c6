package io.voidrail.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;

/**
 * Where the codec's parsers and generators take their buffers: a platform thread keeps its own (Jackson's
 * thread-local pool), a virtual thread uses Jackson's shared pool (there are many, each short-lived: buffers of its
 * own would hardly be used twice). Jackson's default is the shared pool for every thread, a lock-free deque that
 * every parse and every write takes from and gives back to; with the roles' I/O threads, workers and callers all
 * parsing, that was 5 % of a busy JVM's CPU (in one JVM at 64 calls in flight), more than parsing a call's header.
 */
final class WireBuffers implements RecyclerPool<BufferRecycler> {

    static final WireBuffers INSTANCE = new WireBuffers();

    private static final long serialVersionUID = 1L;
    /** {@code Thread.isVirtual()}, or {@code null} before Java 21 (no virtual threads). */
    private static final @Nullable MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final RecyclerPool<BufferRecycler> OWN = JsonRecyclerPools.threadLocalPool();
    private static final RecyclerPool<BufferRecycler> SHARED = JsonRecyclerPools.sharedConcurrentDequePool();

    private WireBuffers() {
    }

    @Override
    public BufferRecycler acquirePooled() {
        return pool().acquirePooled();
    }

    /** A shared pool's buffers are linked to it and go back to it directly; a thread's own are not linked. */
    @Override
    public BufferRecycler acquireAndLinkPooled() {
        return pool().acquireAndLinkPooled();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        pool().releasePooled(recycler);
    }

    private static RecyclerPool<BufferRecycler> pool() {
        return isVirtual(Thread.currentThread()) ? SHARED : OWN;
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        }
        catch (Throwable ex) {
            return true; // cannot tell: the shared pool is right for any thread
        }
    }

    private static @Nullable MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        }
        catch (ReflectiveOperationException ex) {
            return null;
        }
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
