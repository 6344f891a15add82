namespace SharpSan.Scsi;

/// <summary>
/// The PERSISTENT RESERVE OUT service actions as pure transitions of <see cref="PersistentReservationState"/>
/// (SPC-4 5.13.7 to 5.13.11): each takes the current state, the sending I_T nexus and the decoded
/// request, and returns the status, the next state and the unit attentions to establish. The caller
/// serialises them, makes APTPL state durable, then publishes.
/// </summary>
internal static class PersistentReserveOutActions
{
    /// <summary>Field pointers into the basic parameter list (SPC-4 6.16.3, table 171).</summary>
    public const int ServiceActionReservationKeyByte = 8;

    /// <summary>Field pointer of RELATIVE TARGET PORT IDENTIFIER in REGISTER AND MOVE's list (table 173).</summary>
    public const int RelativeTargetPortIdByte = 18;

    /// <param name="targetPortName">The name of the target port with a relative target port identifier
    /// (REGISTER AND MOVE's destination), or null when this logical unit knows no such port.</param>
    public static PersistentReserveOutResult Apply(PersistentReservationState state, ItNexus nexus, PersistentReserveOutRequest request, Func<ushort, string?> targetPortName)
    {
        var result = new PersistentReserveOutResult();
        Registration? own = state.Find(nexus);
        switch (request.Action)
        {
            case PersistentReserveOutAction.Register:
                return Register(state, nexus, own, request, ignoreKey: false, result);
            case PersistentReserveOutAction.RegisterAndIgnoreExistingKey:
                return Register(state, nexus, own, request, ignoreKey: true, result);
        }

        // SPC-4 5.13.2 (table 5.7): any other service action from an unregistered I_T nexus, or with a
        // RESERVATION KEY that is not the nexus' own, is a RESERVATION CONFLICT.
        if (own is null || own.Key != request.ReservationKey)
        {
            return result.Conflict();
        }

        return request.Action switch
        {
            PersistentReserveOutAction.Reserve => Reserve(state, own, request, result),
            PersistentReserveOutAction.Release => Release(state, own, request, result),
            PersistentReserveOutAction.Clear => Clear(state, result),
            PersistentReserveOutAction.RegisterAndMove => RegisterAndMove(state, nexus, own, request, targetPortName, result),
            _ => Preempt(state, own, request, result),
        };
    }

    /// <summary>REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 5.13.7, 5.13.11.3).</summary>
    private static PersistentReserveOutResult Register(PersistentReservationState state, ItNexus nexus, Registration? own,
        PersistentReserveOutRequest request, bool ignoreKey, PersistentReserveOutResult result)
    {
        ulong newKey = request.ServiceActionReservationKey;
        var registrations = new List<Registration>(state.Registrations);
        Registration? holder = state.Holder;
        PersistentReservationType type = state.Type;
        if (own is null)
        {
            // An unregistered nexus registers with RESERVATION KEY zero (or ignores it).
            if (!ignoreKey && request.ReservationKey != 0)
            {
                return result.Conflict();
            }

            if (newKey == 0)
            {
                return result; // nothing to unregister: GOOD, no change
            }

            Registration mine = Registration.For(nexus, request.AllTargetPorts, newKey);

            // ALL_TG_PT registers through every target port "as if received individually through each":
            // the initiator port's registrations on other ports are then registered nexuses, which REGISTER
            // may only re-key with their own key (zero here), and REGISTER AND IGNORE EXISTING KEY replaces.
            var covered = registrations.FindAll(r => r.Overlaps(mine));
            if (covered.Count > 0)
            {
                if (!ignoreKey)
                {
                    return result.Conflict();
                }

                registrations.RemoveAll(covered.Contains);
                if (holder is not null && covered.Contains(holder))
                {
                    holder = mine;
                }
            }

            registrations.Add(mine);
            int first = registrations.Count - 1;
            foreach (TransportIdEntry id in request.TransportIds)
            {
                // SPEC_I_PT: the same registration for each named initiator through this target port (or
                // all of them with ALL_TG_PT). The sender itself or a repeat is skipped; an I_T nexus that is
                // already registered makes the whole command fail (SPC-4 6.16.3), so nothing is registered.
                var other = new Registration(id.Name, id.Isid, nexus.TargetPortName, nexus.RelativeTargetPortId, request.AllTargetPorts, newKey);
                if (registrations.Skip(first).Any(r => r.SameNexusesAs(other)))
                {
                    continue;
                }

                if (registrations.Exists(r => r.Overlaps(other)))
                {
                    return result.Fail(SenseReason.InvalidFieldInParameterList, id.Offset);
                }

                registrations.Add(other);
            }
        }
        else
        {
            if (!ignoreKey && request.ReservationKey != own.Key)
            {
                return result.Conflict();
            }

            if (request.TransportIds.Count > 0)
            {
                // SPEC_I_PT from a registered I_T nexus (SPC-4 6.16.3).
                return result.Fail(SenseReason.InvalidFieldInParameterList, 20, 3);
            }

            int index = registrations.IndexOf(own);
            if (newKey == 0)
            {
                // Unregistering (SPC-4 5.13.11.3): the holder's reservation goes with it, except an all
                // registrants reservation, which lasts while any registrant is left.
                registrations.RemoveAt(index);
                if (type.IsAllRegistrants())
                {
                    type = registrations.Count == 0 ? PersistentReservationType.None : type;
                }
                else if (ReferenceEquals(holder, own))
                {
                    // SPC-4 5.13.11.2.2: a Registrants Only reservation released this way tells the
                    // other registrants RESERVATIONS RELEASED.
                    if (type.IsRegistrantsOnly())
                    {
                        result.Notify(registrations, PersistentReserveOutResult.ReservationsReleased);
                    }

                    holder = null;
                    type = PersistentReservationType.None;
                }
            }
            else
            {
                Registration rekeyed = own.WithKey(newKey);
                registrations[index] = rekeyed;
                if (ReferenceEquals(holder, own))
                {
                    holder = rekeyed;
                }
            }
        }

        result.Next = state.With(unchecked(state.Generation + 1), registrations.ToArray(), holder, type, request.Aptpl);
        return result;
    }

    /// <summary>RESERVE (SPC-4 5.13.9): a registered nexus reserves; the holder asking again for the same
    /// type is GOOD, anything else while reserved is a RESERVATION CONFLICT. PRgeneration is unchanged.</summary>
    private static PersistentReserveOutResult Reserve(PersistentReservationState state, Registration own, PersistentReserveOutRequest request, PersistentReserveOutResult result)
    {
        if (state.IsReserved)
        {
            return state.IsHolder(own) && state.Type == request.Type ? result : result.Conflict();
        }

        result.Next = state.With(state.Generation, (Registration[])[.. state.Registrations], own, request.Type, state.Aptpl);
        return result;
    }

    /// <summary>RELEASE (SPC-4 5.13.11.2): only the holder releases, with the reservation's own type;
    /// releasing a Registrants Only or All Registrants reservation tells the other registrants.</summary>
    private static PersistentReserveOutResult Release(PersistentReservationState state, Registration own, PersistentReserveOutRequest request, PersistentReserveOutResult result)
    {
        if (!state.IsReserved || !state.IsHolder(own))
        {
            return result; // GOOD, nothing released
        }

        if (state.Type != request.Type)
        {
            return result.Fail(SenseReason.InvalidReleaseOfPersistentReservation);
        }

        if (state.Type.IsRegistrantsOnly() || state.Type.IsAllRegistrants())
        {
            result.Notify(state.Registrations.Where(r => !ReferenceEquals(r, own)), PersistentReserveOutResult.ReservationsReleased);
        }

        result.Next = state.With(state.Generation, (Registration[])[.. state.Registrations], null, PersistentReservationType.None, state.Aptpl);
        return result;
    }

    /// <summary>CLEAR (SPC-4 5.13.11.6): every registration and the reservation go; every other
    /// registrant hears RESERVATIONS PREEMPTED.</summary>
    private static PersistentReserveOutResult Clear(PersistentReservationState state, PersistentReserveOutResult result)
    {
        result.Notify(state.Registrations, PersistentReserveOutResult.ReservationsPreempted);
        result.Next = state.With(unchecked(state.Generation + 1), [], null, PersistentReservationType.None, state.Aptpl);
        return result;
    }

    /// <summary>PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.11.4, 5.13.11.5).</summary>
    private static PersistentReserveOutResult Preempt(PersistentReservationState state, Registration own, PersistentReserveOutRequest request, PersistentReserveOutResult result)
    {
        ulong key = request.ServiceActionReservationKey;
        List<Registration> removed;
        Registration? holder = state.Holder;
        PersistentReservationType type = state.Type;
        bool preemptsReservation = state.IsReserved &&
            (type.IsAllRegistrants() ? key == 0 : holder is not null && holder.Key == key);
        if (preemptsReservation)
        {
            // 5.13.11.4.3: the reservation passes to the preempting nexus with the CDB's type; the
            // registrations of the preempted key (every other one under all registrants with key zero)
            // are removed, never the preempting nexus' own.
            removed = state.Registrations.Where(r => !ReferenceEquals(r, own) && (type.IsAllRegistrants() || r.Key == key)).ToList();
            holder = own;
            if (request.Type != type)
            {
                // The type changed: the registrants that stay hear RESERVATIONS RELEASED.
                result.Notify(state.Registrations.Where(r => !ReferenceEquals(r, own) && !removed.Contains(r)), PersistentReserveOutResult.ReservationsReleased);
            }

            type = request.Type;
        }
        else
        {
            // 5.13.11.4.4: without a reservation to preempt, only registrations are removed, and a key of
            // zero names none (INVALID FIELD IN PARAMETER LIST).
            if (key == 0)
            {
                return result.Fail(SenseReason.InvalidFieldInParameterList, ServiceActionReservationKeyByte);
            }

            removed = state.Registrations.Where(r => r.Key == key).ToList();
            if (removed.Count == 0)
            {
                return result.Conflict();
            }
        }

        var registrations = state.Registrations.Where(r => !removed.Contains(r)).ToArray();
        if (type.IsAllRegistrants() && registrations.Length == 0)
        {
            type = PersistentReservationType.None;
        }
        else if (holder is not null && removed.Contains(holder))
        {
            holder = null;
            type = PersistentReservationType.None;
        }

        result.Notify(removed, PersistentReserveOutResult.RegistrationsPreempted);
        if (request.Action == PersistentReserveOutAction.PreemptAndAbort)
        {
            result.Preempted.AddRange(removed);
        }

        result.Next = state.With(unchecked(state.Generation + 1), registrations, holder, type, state.Aptpl);
        return result;
    }

    /// <summary>REGISTER AND MOVE (SPC-4 5.13.8): the holder registers another I_T nexus with the service
    /// action reservation key and hands it the reservation, keeping or (UNREG) dropping its own registration.</summary>
    private static PersistentReserveOutResult RegisterAndMove(PersistentReservationState state, ItNexus nexus, Registration own,
        PersistentReserveOutRequest request, Func<ushort, string?> targetPortName, PersistentReserveOutResult result)
    {
        if (!state.IsReserved || state.Type.IsAllRegistrants() || !state.IsHolder(own))
        {
            return result.Conflict();
        }

        if (request.ServiceActionReservationKey == 0)
        {
            return result.Fail(SenseReason.InvalidFieldInParameterList, ServiceActionReservationKeyByte);
        }

        string? portName = request.RelativeTargetPortId == nexus.RelativeTargetPortId ? nexus.TargetPortName : targetPortName(request.RelativeTargetPortId);
        if (portName is null)
        {
            return result.Fail(SenseReason.InvalidFieldInParameterList, RelativeTargetPortIdByte);
        }

        TransportIdEntry id = request.TransportIds[0];
        var destination = new Registration(id.Name, id.Isid, portName, request.RelativeTargetPortId, false, request.ServiceActionReservationKey);
        if (destination.Overlaps(own))
        {
            // The destination is the sending I_T nexus itself.
            return result.Fail(SenseReason.InvalidFieldInParameterList, id.Offset);
        }

        var registrations = new List<Registration>(state.Registrations);
        int existing = registrations.FindIndex(r => r.SameNexusesAs(destination));
        if (existing >= 0)
        {
            registrations[existing] = destination;
        }
        else if (registrations.Exists(r => r.Overlaps(destination)))
        {
            return result.Fail(SenseReason.InvalidFieldInParameterList, id.Offset);
        }
        else
        {
            registrations.Add(destination);
        }

        if (request.Unregister)
        {
            registrations.Remove(own);
        }

        result.Next = state.With(unchecked(state.Generation + 1), registrations.ToArray(), destination, state.Type, request.Aptpl);
        return result;
    }
}
