#include "co.hpp"

#include <cstdlib>
#include <new>
#include <vector>

namespace tasklab::detail {

namespace {
// Frames up to 2 KiB come from per-size-class free lists (16-byte classes); larger ones
// from the global heap. Blocks are never returned to the system while the thread lives;
// the pool is per thread so tests on different threads never share it.
constexpr std::size_t k_granule = 16;
constexpr std::size_t k_classes = 128;

struct FreeNode { FreeNode* next; };

struct Pool {
    FreeNode* heads[k_classes] = {};
    std::vector<void*> slabs;
    ~Pool() { for (void* s : slabs) std::free(s); }
    void* take(std::size_t cls) {
        if (FreeNode* n = heads[cls]) { heads[cls] = n->next; return n; }
        const std::size_t size = (cls + 1) * k_granule;
        const std::size_t count = std::max<std::size_t>(8, 16384 / size);
        auto* slab = static_cast<char*>(std::malloc(size * count));
        if (!slab) throw std::bad_alloc();
        slabs.push_back(slab);
        for (std::size_t i = 1; i < count; ++i) give(cls, slab + i * size);
        return slab;
    }
    void give(std::size_t cls, void* p) noexcept {
        auto* n = static_cast<FreeNode*>(p);
        n->next = heads[cls];
        heads[cls] = n;
    }
};
thread_local Pool t_pool;
}  // namespace

void* frame_allocate(std::size_t size) {
#ifdef TASKLAB_NO_FRAME_POOL  // sanitizer builds: every frame from the heap, so ASan sees misuse
    return ::operator new(size);
#endif
    const std::size_t cls = (size + k_granule - 1) / k_granule - 1;
    if (cls >= k_classes) return ::operator new(size);
    return t_pool.take(cls);
}

void frame_deallocate(void* p, std::size_t size) noexcept {
#ifdef TASKLAB_NO_FRAME_POOL
    ::operator delete(p);  // unsized: clang before 19 declares no sized delete by default
    return;
#endif
    const std::size_t cls = (size + k_granule - 1) / k_granule - 1;
    if (cls >= k_classes) { ::operator delete(p); return; }
    t_pool.give(cls, p);
}

}  // namespace tasklab::detail
