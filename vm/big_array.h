// big_array.h — the engine's per-user arrays: grown without copying.
//
// The engine keeps a record per user, per user and journey, and per
// instance in dense arrays that reach millions of entries. A std::vector
// grows by allocating a buffer twice as large, copying every element and
// freeing the old buffer: the copy costs time at every doubling, the new
// buffer is paid for again in page faults, and glibc keeps freed buffers
// below 32 MiB resident, which showed up as bytes per waiting user.
//
// A BigArray keeps its elements in their own anonymous mapping and grows it
// with mremap(2), which moves the page tables, not the bytes: nothing is
// copied, nothing already written is faulted in again and no old buffer is
// left behind. The mapping asks for transparent huge pages, so touching new
// elements costs one page fault per 2 MiB instead of one per 4 KiB (a fault
// costs 10-15 µs on the VMs we measured; they were a tenth of a replay).
//
// Elements move as bytes, so T must be trivially copyable or declared
// trivially relocatable (TriviallyRelocatable below: its value does not
// depend on its own address, e.g. a std::unique_ptr). Like std::vector,
// growth invalidates pointers and references into the array.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace journey::vm {

// Opt-in for types that may be moved by copying their bytes.
template <typename T>
struct TriviallyRelocatable : std::is_trivially_copyable<T> {};

namespace big_array {
// A fresh zero-filled mapping of `bytes` (a multiple of the page size),
// advised for huge pages; throws std::bad_alloc.
void* Map(size_t bytes);
// The mapping at `p` grown from `from` to `to` bytes, possibly moved; throws std::bad_alloc.
void* Grow(void* p, size_t from, size_t to);
void Unmap(void* p, size_t bytes);
// The mapping size for at least `bytes`: whole pages, whole huge pages from 2 MiB.
size_t Rounded(size_t bytes);
}  // namespace big_array

template <typename T>
class BigArray {
  static_assert(TriviallyRelocatable<T>::value, "BigArray moves its elements as bytes");

 public:
  BigArray() = default;
  explicit BigArray(size_t n) { resize(n); }
  BigArray(const BigArray&) = delete;
  BigArray& operator=(const BigArray&) = delete;
  BigArray(BigArray&& o) noexcept { swap(o); }
  BigArray& operator=(BigArray&& o) noexcept {
    BigArray(std::move(o)).swap(*this);
    return *this;
  }
  ~BigArray() {
    clear();
    if (data_) big_array::Unmap(data_, bytes_);
  }
  void swap(BigArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(bytes_, o.bytes_);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return bytes_ / sizeof(T); }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  void reserve(size_t n) {
    if (n > capacity()) growTo(n);
  }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity()) growTo(size_ + size_ / 2 + 1);
    T* slot = new (data_ + size_) T(std::forward<Args>(args)...);
    ++size_;
    return *slot;
  }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  void push_back(const T& v) { emplace_back(v); }
  // Appends n elements copied from `from` (trivially copyable types).
  void append(const T* from, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (size_ + n > capacity()) growTo(std::max(size_ + n, size_ + size_ / 2));
    if (n) std::memcpy(data_ + size_, from, n * sizeof(T));
    size_ += n;
  }
  // New elements are value-initialized, as in std::vector.
  void resize(size_t n) {
    if (n < size_) {
      destroyFrom(n);
      return;
    }
    reserve(n);
    for (size_t i = size_; i < n; ++i) new (data_ + i) T();
    size_ = n;
  }
  // n copies of v, in place of what was there. Zeros into an array with no
  // mapping yet are not written: a fresh mapping reads as zero bytes, so a
  // page costs memory (and a fault) only once an element on it is written.
  void assign(size_t n, const T& v) {
    if constexpr (std::is_arithmetic_v<T>) {
      if (!data_ && v == T{}) {
        if (n) growTo(n);
        size_ = n;
        return;
      }
    }
    clear();
    reserve(n);
    for (size_t i = 0; i < n; ++i) new (data_ + i) T(v);
    size_ = n;
  }
  // Removes the elements; the mapping is kept for reuse.
  void clear() { destroyFrom(0); }

 private:
  void destroyFrom(size_t n) {
    if constexpr (!std::is_trivially_destructible_v<T>)
      for (size_t i = n; i < size_; ++i) data_[i].~T();
    size_ = n;
  }
  void growTo(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    size_t bytes = big_array::Rounded(n * sizeof(T));
    data_ = static_cast<T*>(data_ ? big_array::Grow(data_, bytes_, bytes) : big_array::Map(bytes));
    bytes_ = bytes;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t bytes_ = 0;  // of the mapping
};

}  // namespace journey::vm
