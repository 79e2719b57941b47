// The writer service's single-producer/single-consumer byte queues: wrap
// around, back-pressure, growth under a shared budget, and two threads
// moving a million records without losing or reordering a byte.
#include "internal/spsc_ring.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace hp::internal {
namespace {

std::string drain(SpscRing* ring) {
  SpscRing::Readable r = ring->peek();
  std::string out(r.first);
  out.append(r.second);
  ring->consume(r.size());
  return out;
}

std::string drain(GrowableSpscQueue* queue) {
  std::string out;
  for (;;) {
    SpscRing::Readable r = queue->peek();
    if (r.size() == 0) return out;
    out.append(r.first);
    out.append(r.second);
    queue->consume(r.size());
  }
}

TEST(SpscRing, CapacityIsAPowerOfTwoOfAtLeast64Bytes) {
  EXPECT_EQ(SpscRing(1).capacity(), 64u);
  EXPECT_EQ(SpscRing(100).capacity(), 128u);
  EXPECT_EQ(SpscRing(4096).capacity(), 4096u);
}

TEST(SpscRing, RecordsSplitAroundTheEndComeBackWhole) {
  SpscRing ring(64);
  std::string expected;
  std::string got;
  for (int i = 0; i < 40; ++i) {
    const std::string record(24, static_cast<char>('a' + i % 26));
    if (char* p = ring.try_reserve(record.size())) {
      record.copy(p, record.size());
      ring.commit(record.size());
    } else {
      ASSERT_TRUE(ring.try_write(record)) << i;
    }
    expected += record;
    if (i % 2 == 1) got += drain(&ring);
  }
  got += drain(&ring);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(ring.published(), expected.size());
  EXPECT_EQ(ring.consumed(), expected.size());
}

TEST(SpscRing, AFullRingRefusesUntilTheConsumerFreesRoom) {
  SpscRing ring(64);
  ASSERT_TRUE(ring.try_write(std::string(60, 'x')));
  EXPECT_FALSE(ring.try_write("12345"));
  EXPECT_EQ(ring.try_reserve(5), nullptr);
  SpscRing::Readable r = ring.peek();
  ASSERT_EQ(r.size(), 60u);
  ring.consume(10);
  EXPECT_TRUE(ring.try_write("12345"));
  EXPECT_FALSE(ring.try_write(std::string(65, 'y')));  // larger than the ring: never fits
}

TEST(GrowableSpscQueue, GrowsWhenFullAndKeepsByteOrderAcrossRings) {
  ByteBudget budget(1 << 20);
  GrowableSpscQueue queue(64, 1024, &budget);
  std::string expected;
  for (int i = 0; i < 50; ++i) {
    const std::string record = "record-" + std::to_string(i) + ";";
    ASSERT_TRUE(queue.try_write(record)) << i;
    expected += record;
  }
  EXPECT_GT(queue.capacity(), 64u);
  EXPECT_GT(budget.used(), 0u);
  EXPECT_EQ(drain(&queue), expected);
  EXPECT_EQ(queue.consumed(), expected.size());
  // Every ring but the current one is freed once drained.
  EXPECT_EQ(budget.used(), queue.capacity());
}

TEST(GrowableSpscQueue, StopsGrowingAtTheBudgetAndWaitsForTheConsumer) {
  ByteBudget budget(128);
  GrowableSpscQueue queue(64, 1 << 20, &budget);
  std::string expected;
  for (;;) {
    const std::string record(16, static_cast<char>('a' + expected.size() / 16 % 26));
    if (!queue.try_write(record)) break;
    expected += record;
  }
  EXPECT_EQ(expected.size(), 64u + 128u);  // the first ring, then one of 128 bytes
  EXPECT_LE(budget.used(), budget.limit());
  EXPECT_EQ(drain(&queue), expected);
  EXPECT_TRUE(queue.try_write("after"));
}

TEST(GrowableSpscQueue, ARecordLargerThanEveryLimitStillGetsARing) {
  ByteBudget budget(0);
  GrowableSpscQueue queue(64, 64, &budget);
  const std::string big(1000, 'b');
  ASSERT_TRUE(queue.try_write(big));
  EXPECT_EQ(drain(&queue), big);
}

// One producer, one consumer, variable-length records whose bytes encode
// their sequence number: the consumer checks every byte.
TEST(GrowableSpscQueue, TwoThreadsMoveEveryRecordInOrder) {
  constexpr uint32_t kRecords = 200000;
  ByteBudget budget(1 << 16);
  GrowableSpscQueue queue(64, 8192, &budget);
  const auto record_of = [](uint32_t i) {
    std::string r(1 + i % 97, '\0');
    for (size_t k = 0; k < r.size(); ++k) r[k] = static_cast<char>((i * 31 + k) & 0xFF);
    return r;
  };
  std::thread producer([&] {
    for (uint32_t i = 0; i < kRecords; ++i) {
      const std::string r = record_of(i);
      for (;;) {
        if (char* p = queue.try_reserve(r.size())) {
          r.copy(p, r.size());
          queue.commit(r.size());
          break;
        }
        if (queue.try_write(r)) break;
        std::this_thread::yield();
      }
    }
  });
  std::string pending;
  uint32_t next = 0;
  bool ok = true;
  while (next < kRecords && ok) {
    SpscRing::Readable r = queue.peek();
    if (r.size() == 0) {
      std::this_thread::yield();
      continue;
    }
    pending.append(r.first);
    pending.append(r.second);
    queue.consume(r.size());
    size_t pos = 0;
    for (;;) {
      const std::string expected = record_of(next);
      if (pending.size() - pos < expected.size()) break;
      if (pending.compare(pos, expected.size(), expected) != 0) {
        ADD_FAILURE() << "record " << next << " differs";
        ok = false;
        break;
      }
      pos += expected.size();
      if (++next == kRecords) break;
    }
    pending.erase(0, pos);
  }
  producer.join();
  EXPECT_EQ(next, kRecords);
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(queue.published(), queue.consumed());
  EXPECT_LE(budget.used(), budget.limit());
}

}  // namespace
}  // namespace hp::internal
