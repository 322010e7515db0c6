package io.voidrail.service;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Reports what service code throws while iterating as {@link ServiceMethodException}. */
final class GuardedIterator<T> implements Iterator<T> {

    private final Iterator<T> delegate;

    GuardedIterator(Iterator<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean hasNext() {
        try {
            return delegate.hasNext();
        }
        catch (Throwable ex) {
            throw new ServiceMethodException(ex);
        }
    }

    @Override
    public T next() {
        try {
            return delegate.next();
        }
        catch (NoSuchElementException ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new ServiceMethodException(ex);
        }
    }
}
