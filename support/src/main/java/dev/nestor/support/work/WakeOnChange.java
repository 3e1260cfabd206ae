package dev.nestor.support.work;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * An informer handler for level-triggered controllers: every add, update and delete only hands the object (its
 * latest state; the deleted one on delete) to {@code wake}, which enqueues whatever it belongs to and never blocks.
 */
public final class WakeOnChange<T> implements ResourceEventHandler<T> {

    private final Consumer<T> wake;

    public WakeOnChange(Consumer<T> wake) {
        this.wake = wake;
    }

    @Override
    public void onAdd(T object) {
        wake.accept(object);
    }

    @Override
    public void onUpdate(T before, T object) {
        wake.accept(object);
    }

    @Override
    public void onDelete(T object, boolean deletedFinalStateUnknown) {
        wake.accept(object);
    }
}
