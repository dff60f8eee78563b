// Tearing down nested values without recursion.
//
// A value that holds values (an array, a dictionary, a tuple, a class instance) would free
// its children from its destructor, each child its own children, and so on: a linked list
// of 300,000 nodes nests 300,000 destructor calls. Instead, a container's destructor hands
// the children it owns last to a per-thread worklist, and the outermost destructor frees
// them one at a time; a freed child adds its own children to the same list. The depth of the
// C++ stack stays constant whatever the shape of the data.
#pragma once

#include <utility>
#include <vector>

namespace tasklab::release {

template <class Ptr>
struct Queue {
    std::vector<Ptr> pending;
    bool draining = false;
    static Queue& local() {
        thread_local Queue q;
        return q;
    }
};

/// Hands `p` to this thread's worklist if it is its last owner (else just lets go of it).
template <class Ptr>
void defer(Ptr& p) {
    if (!p) return;
    if (p.use_count() == 1) Queue<Ptr>::local().pending.push_back(std::move(p));
    else p.reset();
}

/// Frees everything on the worklist, unless an outer call is doing so already.
template <class Ptr>
void drain() {
    auto& q = Queue<Ptr>::local();
    if (q.draining) return;
    q.draining = true;
    while (!q.pending.empty()) {
        Ptr p = std::move(q.pending.back());
        q.pending.pop_back();
        p.reset();  // its destructor may add its own children to the list
    }
    q.draining = false;
}

}  // namespace tasklab::release
