-- Progress of a job's running attempt (ADR 0062): how many of the instances of the record
-- progress_event the destination has confirmed (a prefix of its instance list: senders send in
-- order and stop at the first failure). Written in batches during the attempt, read when that
-- record is read again after a crash, so that only the unconfirmed rest is sent again.
alter table job add column progress_event uuid;
alter table job add column progress integer not null default 0;
